import { readFileSync } from 'node:fs';
import { BUILT_IN_JURISDICTIONS, knownJurisdictions, validateJurisdictionConfig, type JurisdictionConfig } from '@takedown/core';
import type { SettingsReader } from './settings-reader.ts';

/**
 * The deployment's jurisdiction profiles (docs/operations.md, "Jurisdiction profiles"): the built-in regimes
 * (US, EU, UK 48 hours; AU 24 hours) changed or added to by a JSON file, and the default for requests that
 * no platform setting or stated location places. Nothing set: today's behaviour (US by default).
 */
export type JurisdictionSettings = JurisdictionConfig;

export const DEFAULT_JURISDICTION_SETTINGS: JurisdictionSettings = {};

const FILE = 'TAKEDOWN_JURISDICTIONS_FILE';
const DEFAULT = 'TAKEDOWN_DEFAULT_JURISDICTION';

/**
 * Reads TAKEDOWN_JURISDICTIONS_FILE (a JSON file: `{ "default": "AU", "profiles": { "AU": { … } } }`) and
 * TAKEDOWN_DEFAULT_JURISDICTION (which wins over the file's default). Every problem is named with the file's
 * field path, so one start shows everything to fix.
 * @example
 * TAKEDOWN_JURISDICTIONS_FILE=/etc/takedown/jurisdictions.json TAKEDOWN_DEFAULT_JURISDICTION=UK
 */
export function readJurisdictionSettings(read: SettingsReader): JurisdictionSettings {
  const settings: JurisdictionSettings = {};
  const path = read.text(FILE)?.trim();
  if (path) {
    const fromFile = readProfilesFile(read, path);
    if (fromFile) Object.assign(settings, fromFile);
  }
  const chosen = read.text(DEFAULT)?.trim().toUpperCase();
  if (chosen) settings.defaultCode = chosen;
  const problems = validateJurisdictionConfig(settings);
  for (const problem of problems) {
    if (problem.field === 'defaultCode') {
      const where = chosen ? DEFAULT : `${FILE} (default)`;
      read.problem(chosen ? DEFAULT : FILE, `${where} names "${settings.defaultCode}", which is not a configured jurisdiction; use one of ${knownJurisdictions(settings).join(', ')}.`);
    } else {
      read.problem(FILE, `${FILE}: profiles.${problem.field.replace(/^rules\./, '')}: ${problem.message}`);
    }
  }
  return problems.length > 0 ? DEFAULT_JURISDICTION_SETTINGS : settings;
}

const FILE_FIELDS = ['default', 'profiles'];
const PROFILE_FIELDS = ['removalDeadlineHours', 'escalationAfterHours', 'regulator', 'notice'];

function readProfilesFile(read: SettingsReader, path: string): JurisdictionSettings | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    read.problem(FILE, `${FILE} names ${path}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); give the path of a JSON file, or unset it for the built-in profiles.`);
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    read.problem(FILE, `${FILE}: ${path} is not valid JSON (${(error as Error).message}).`);
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    read.problem(FILE, `${FILE}: ${path} must hold a JSON object such as {"default": "US", "profiles": {"AU": {"removalDeadlineHours": 24, "escalationAfterHours": [12, 18]}}}.`);
    return undefined;
  }
  const file = parsed as Record<string, unknown>;
  let ok = true;
  for (const key of Object.keys(file)) {
    if (!FILE_FIELDS.includes(key)) {
      read.problem(FILE, `${FILE}: unknown field "${key}"; the file holds ${FILE_FIELDS.join(' and ')}.`);
      ok = false;
    }
  }
  if (file.default !== undefined && typeof file.default !== 'string') {
    read.problem(FILE, `${FILE}: "default" must be a jurisdiction code such as "US".`);
    ok = false;
  }
  const profiles = file.profiles ?? {};
  if (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles)) {
    read.problem(FILE, `${FILE}: "profiles" must be an object keyed by jurisdiction code, such as {"AU": {…}}.`);
    return undefined;
  }
  const rules: NonNullable<JurisdictionConfig['rules']> = {};
  for (const [code, profile] of Object.entries(profiles as Record<string, unknown>)) {
    if (typeof profile !== 'object' || profile === null || Array.isArray(profile)) {
      read.problem(FILE, `${FILE}: profiles.${code} must be an object with removalDeadlineHours and escalationAfterHours.`);
      ok = false;
      continue;
    }
    for (const key of Object.keys(profile)) {
      if (!PROFILE_FIELDS.includes(key)) {
        read.problem(FILE, `${FILE}: profiles.${code}: unknown field "${key}"; a profile holds ${PROFILE_FIELDS.join(', ')}.`);
        ok = false;
      }
    }
    // A built-in regime's profile may change only its regulator or notice: its clock stays as built in.
    rules[code] = { ...BUILT_IN_JURISDICTIONS[code], ...(profile as Partial<NonNullable<JurisdictionConfig['rules']>[string]>) } as NonNullable<JurisdictionConfig['rules']>[string];
  }
  if (!ok) return undefined;
  return { rules, ...(typeof file.default === 'string' && { defaultCode: file.default.trim().toUpperCase() }) };
}
