import type { FieldError } from './request.ts';

/**
 * The removal clock of one legal regime. `removalDeadlineHours` runs from the moment a valid request is
 * received; `escalationAfterHours` are the elapsed hours at which an open item moves up to senior review,
 * so that nobody first notices a breach after it has happened.
 */
export interface JurisdictionRules {
  code: string;
  removalDeadlineHours: number;
  /** Ascending, each before the deadline; at most two (escalation levels 1 and 2). */
  escalationAfterHours: number[];
}

/** The authority that enforces a regime: named to reviewers and in notices, never contacted by takedown itself. */
export interface Regulator {
  name: string;
  /** Its public web address (https). */
  url: string;
}

/**
 * A regime as a deployment configures it (docs/operations.md, "Jurisdiction profiles"): its clock, its
 * regulator and the sentence naming the law in statements of reasons. Built-in regimes fill what is left out.
 */
export interface JurisdictionProfileSettings extends Omit<JurisdictionRules, 'code'> {
  regulator?: Regulator;
  /** Notice texts: the law a removal is made under, as the uploader's statement of reasons names it. */
  notice?: { legalGround?: string };
}

/** Per-deployment changes: adjust a built-in regime or add another (e.g. `{ rules: { CA: {...} } }`). */
export interface JurisdictionConfig {
  rules?: Record<string, JurisdictionProfileSettings>;
  /** The regime for requests that name none. Default "US". */
  defaultCode?: string;
}

/**
 * Built-in regimes:
 * - US: TAKE IT DOWN Act §3(a)(3)(A), "as soon as possible, but not later than 48 hours".
 * - AU: eSafety Commissioner removal notices under the Online Safety Act 2021 give 24 hours.
 * - EU: DSA Art. 16 asks for "timely" action without a number of hours; we apply the US 48 hours so one
 *   clock serves a platform that answers to both.
 * - UK: 48 hours, the limit the government announced on 19 February 2026 as an amendment to the Crime and
 *   Policing Bill ("no more than 48 hours after it is flagged"), alongside the Online Safety Act duties.
 * Escalation happens at half and three quarters of the deadline.
 */
export const BUILT_IN_JURISDICTIONS: Readonly<Record<string, Readonly<JurisdictionRules>>> = Object.freeze({
  US: Object.freeze({ code: 'US', removalDeadlineHours: 48, escalationAfterHours: Object.freeze([24, 36]) as number[] }),
  AU: Object.freeze({ code: 'AU', removalDeadlineHours: 24, escalationAfterHours: Object.freeze([12, 18]) as number[] }),
  EU: Object.freeze({ code: 'EU', removalDeadlineHours: 48, escalationAfterHours: Object.freeze([24, 36]) as number[] }),
  UK: Object.freeze({ code: 'UK', removalDeadlineHours: 48, escalationAfterHours: Object.freeze([24, 36]) as number[] }),
});

export const DEFAULT_JURISDICTION = 'US';

/** Thrown by `rulesFor` for a code nobody configured: validate requests with `lookupJurisdiction` first. */
export class UnknownJurisdictionError extends Error {
  override name = 'UnknownJurisdictionError';
  readonly code = 'unknown_jurisdiction';
}

/**
 * The rules for a jurisdiction code ("us" and "US" are the same); no code means the default (US).
 * An unknown code is an error, never a silent fall-back to 48 hours.
 * @example rulesFor('AU').removalDeadlineHours // 24
 */
export function rulesFor(code?: string, config?: JurisdictionConfig): JurisdictionRules {
  const found = lookupJurisdiction(code, config);
  if (!found.ok) throw new UnknownJurisdictionError(found.error.message);
  return found.rules;
}

/** Like `rulesFor`, but an unknown code comes back as a field error for the `jurisdiction` field. */
export function lookupJurisdiction(
  code: string | undefined,
  config?: JurisdictionConfig,
): { ok: true; rules: JurisdictionRules } | { ok: false; error: FieldError } {
  const table = jurisdictionTable(config);
  const wanted = (code ?? config?.defaultCode ?? DEFAULT_JURISDICTION).trim().toUpperCase();
  const rules = table[wanted];
  if (rules === undefined) {
    return {
      ok: false,
      error: {
        field: 'jurisdiction',
        code: 'unknown_jurisdiction',
        message: `We do not handle requests under "${code ?? wanted}". Please choose one of: ${Object.keys(table).join(', ')}.`,
      },
    };
  }
  return { ok: true, rules: { ...rules, code: wanted, escalationAfterHours: [...rules.escalationAfterHours] } };
}

/** Every jurisdiction code known with this configuration. */
export function knownJurisdictions(config?: JurisdictionConfig): string[] {
  return Object.keys(jurisdictionTable(config));
}

/**
 * Checks a deployment's configuration before it is used: positive deadlines, at most two ascending escalation
 * points strictly before the deadline, a default that exists.
 */
export function validateJurisdictionConfig(config: JurisdictionConfig): FieldError[] {
  const errors: FieldError[] = [];
  for (const [code, rules] of Object.entries(config.rules ?? {})) {
    const at = `rules.${code}`;
    if (!/^[A-Z]{2,8}$/.test(code)) {
      errors.push({ field: at, code: 'invalid_code', message: 'A jurisdiction code is 2 to 8 capital letters, such as "US".' });
    }
    const hours = rules.removalDeadlineHours;
    if (typeof hours !== 'number' || !Number.isFinite(hours) || hours <= 0) {
      errors.push({
        field: `${at}.removalDeadlineHours`,
        code: 'invalid_hours',
        message: 'The removal deadline must be a positive number of hours.',
      });
      continue;
    }
    const points = rules.escalationAfterHours;
    if (!Array.isArray(points) || points.length > 2) {
      errors.push({
        field: `${at}.escalationAfterHours`,
        code: 'invalid_escalation',
        message: 'Give at most two escalation points, in hours, such as [24, 36].',
      });
      continue;
    }
    errors.push(...regulatorErrors(rules, at));
    points.forEach((point, i) => {
      const previous = i === 0 ? 0 : points[i - 1];
      if (typeof point !== 'number' || !Number.isFinite(point) || point <= previous || point >= hours) {
        errors.push({
          field: `${at}.escalationAfterHours.${i}`,
          code: 'invalid_escalation',
          message: `Escalation points must be ascending positive hours before the ${hours}-hour deadline.`,
        });
      }
    });
  }
  const table = jurisdictionTable(config);
  if (config.defaultCode !== undefined && table[config.defaultCode.toUpperCase()] === undefined) {
    errors.push({
      field: 'defaultCode',
      code: 'unknown_jurisdiction',
      message: `The default jurisdiction "${config.defaultCode}" is not configured.`,
    });
  }
  return errors;
}

function regulatorErrors(rules: JurisdictionProfileSettings, at: string): FieldError[] {
  const errors: FieldError[] = [];
  const regulator = rules.regulator;
  if (regulator !== undefined) {
    if (typeof regulator !== 'object' || regulator === null || typeof regulator.name !== 'string' || regulator.name.trim() === '' || regulator.name.length > 200) {
      errors.push({ field: `${at}.regulator.name`, code: 'invalid_regulator', message: 'Give the regulator a name of 1 to 200 characters, such as "eSafety Commissioner".' });
    }
    if (typeof regulator?.url !== 'string' || !/^https:\/\/[^\s]+$/.test(regulator.url) || !URL.canParse(regulator.url)) {
      errors.push({ field: `${at}.regulator.url`, code: 'invalid_regulator', message: 'The regulator\'s address must be an https:// web address, such as "https://www.esafety.gov.au".' });
    }
  }
  const ground = rules.notice?.legalGround;
  if (rules.notice !== undefined && (typeof rules.notice !== 'object' || rules.notice === null || (ground !== undefined && (typeof ground !== 'string' || ground.trim() === '' || ground.length > 1000)))) {
    errors.push({ field: `${at}.notice.legalGround`, code: 'invalid_notice', message: 'The legal ground is one sentence of 1 to 1000 characters naming the law removals are made under.' });
  }
  return errors;
}

function jurisdictionTable(config?: JurisdictionConfig): Record<string, JurisdictionProfileSettings> {
  const table: Record<string, JurisdictionProfileSettings> = { ...BUILT_IN_JURISDICTIONS };
  for (const [code, rules] of Object.entries(config?.rules ?? {})) table[code.toUpperCase()] = rules;
  return table;
}
