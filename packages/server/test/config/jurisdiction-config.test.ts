import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.ts';
import { loadConfig } from '../../src/config/config.ts';

const dir = mkdtempSync(join(tmpdir(), 'takedown-jurisdictions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileWith(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.message);
    throw error;
  }
  throw new Error('accepted');
}

describe('jurisdiction profiles in configuration', () => {
  it("keeps today's behaviour when nothing is set", () => {
    expect(loadConfig({}).jurisdictions).toEqual({});
  });

  it('reads profiles and a default from the file; the variable wins over the file', () => {
    const path = fileWith('good.json', {
      default: 'nz',
      profiles: {
        NZ: { removalDeadlineHours: 36, escalationAfterHours: [18, 27], regulator: { name: 'Netsafe', url: 'https://netsafe.org.nz' }, notice: { legalGround: 'Harmful Digital Communications Act 2015.' } },
        // A built-in regime may change only its regulator or notice: its clock stays.
        AU: { notice: { legalGround: 'Online Safety Act 2021 (Cth).' } },
      },
    });
    const config = loadConfig({ TAKEDOWN_JURISDICTIONS_FILE: path });
    expect(config.jurisdictions.defaultCode).toBe('NZ');
    expect(config.jurisdictions.rules?.AU).toEqual({ code: 'AU', removalDeadlineHours: 24, escalationAfterHours: [12, 18], notice: { legalGround: 'Online Safety Act 2021 (Cth).' } });
    expect(loadConfig({ TAKEDOWN_JURISDICTIONS_FILE: path, TAKEDOWN_DEFAULT_JURISDICTION: 'uk' }).jurisdictions.defaultCode).toBe('UK');
  });

  it('names every bad setting at start', () => {
    expect(problems({ TAKEDOWN_DEFAULT_JURISDICTION: 'XX' })).toEqual(['TAKEDOWN_DEFAULT_JURISDICTION names "XX", which is not a configured jurisdiction; use one of US, AU, EU, UK.']);
    expect(problems({ TAKEDOWN_JURISDICTIONS_FILE: join(dir, 'missing.json') })[0]).toMatch(/cannot be read \(ENOENT\); give the path of a JSON file/);
    expect(problems({ TAKEDOWN_JURISDICTIONS_FILE: fileWith('broken.json', '{"profiles": ') })[0]).toMatch(/is not valid JSON/);
    const bad = problems({
      TAKEDOWN_JURISDICTIONS_FILE: fileWith('bad.json', {
        profiles: { CA: { removalDeadlineHours: 0, escalationAfterHours: [] }, AU: { escalationAfterHours: [30] , regulator: { name: 'eSafety', url: 'esafety.gov.au' } } },
      }),
    });
    expect(bad).toEqual([
      'TAKEDOWN_JURISDICTIONS_FILE: profiles.CA.removalDeadlineHours: The removal deadline must be a positive number of hours.',
      'TAKEDOWN_JURISDICTIONS_FILE: profiles.AU.regulator.url: The regulator\'s address must be an https:// web address, such as "https://www.esafety.gov.au".',
      'TAKEDOWN_JURISDICTIONS_FILE: profiles.AU.escalationAfterHours.0: Escalation points must be ascending positive hours before the 24-hour deadline.',
    ]);
    expect(problems({ TAKEDOWN_JURISDICTIONS_FILE: fileWith('extra.json', { profiles: { AU: { hours: 24 } }, defaults: 'US' }) })).toEqual([
      'TAKEDOWN_JURISDICTIONS_FILE: unknown field "defaults"; the file holds default and profiles.',
      'TAKEDOWN_JURISDICTIONS_FILE: profiles.AU: unknown field "hours"; a profile holds removalDeadlineHours, escalationAfterHours, regulator, notice.',
    ]);
    expect(problems({ TAKEDOWN_JURISDICTIONS_FILE: fileWith('default.json', { default: 'ZZ' }) })).toEqual([
      'TAKEDOWN_JURISDICTIONS_FILE (default) names "ZZ", which is not a configured jurisdiction; use one of US, AU, EU, UK.',
    ]);
  });
});
