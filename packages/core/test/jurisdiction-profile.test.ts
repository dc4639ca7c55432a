import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REQUEST_LIMITS,
  decideJurisdiction,
  escalationPointsFor,
  profileFor,
  readRegulatorNotice,
  statementOfReasons,
  validateJurisdictionConfig,
} from '../src/index.ts';

describe('profileFor', () => {
  it('gives the built-in clocks with their regulators', () => {
    expect(profileFor('AU')).toEqual({ code: 'AU', removalDeadlineHours: 24, escalationAfterHours: [12, 18], regulator: { name: 'eSafety Commissioner', url: 'https://www.esafety.gov.au' } });
    expect(profileFor(undefined).code).toBe('US');
    expect(profileFor('uk').regulator?.name).toBe('Ofcom');
  });

  it('takes the configured regulator, legal ground and a new regime', () => {
    const config = {
      rules: { NZ: { removalDeadlineHours: 48, escalationAfterHours: [24, 36], regulator: { name: 'Netsafe', url: 'https://netsafe.org.nz' }, notice: { legalGround: 'Harmful Digital Communications Act 2015.' } } },
      defaultCode: 'NZ',
    };
    expect(validateJurisdictionConfig(config)).toEqual([]);
    expect(profileFor(undefined, config)).toMatchObject({ code: 'NZ', regulator: { name: 'Netsafe' }, legalGround: 'Harmful Digital Communications Act 2015.' });
  });

  it('names a bad regulator or legal ground in the configuration', () => {
    const errors = validateJurisdictionConfig({
      rules: { AU: { removalDeadlineHours: 24, escalationAfterHours: [12], regulator: { name: '', url: 'http://plain.example' }, notice: { legalGround: '' } } },
    });
    expect(errors.map((e) => e.field)).toEqual(['rules.AU.regulator.name', 'rules.AU.regulator.url', 'rules.AU.notice.legalGround']);
  });

  it('lets the statement of reasons name the configured law', () => {
    const facts = { itemId: 'i', itemState: 'removed', decidedAt: new Date(0), jurisdiction: 'NZ', foundByHashMatching: false, decidedAutomatically: false, appealDecidedWithinHours: 168 };
    expect(statementOfReasons({ ...facts, legalGround: 'Harmful Digital Communications Act 2015.' }).legalGround.law).toBe('Harmful Digital Communications Act 2015.');
    expect(statementOfReasons(facts).legalGround.law).toMatch(/jurisdiction the notice was made under/);
  });
});

describe('decideJurisdiction', () => {
  it('falls back to the deployment default, and says so', () => {
    expect(decideJurisdiction({ platforms: [] })).toMatchObject({ code: 'US', source: 'deployment_default', removalDeadlineHours: 48 });
    const choice = decideJurisdiction({ platforms: [{ platform: 'pics', jurisdiction: null }] }, { defaultCode: 'UK' });
    expect(choice).toMatchObject({ code: 'UK', source: 'deployment_default', considered: [] });
    expect(choice.reason).toMatch(/default UK \(48 hours\)/);
  });

  it("takes the platform's setting when the requester states no location", () => {
    const choice = decideJurisdiction({ platforms: [{ platform: 'pics', jurisdiction: 'AU' }] });
    expect(choice).toMatchObject({ code: 'AU', source: 'platform', platform: 'pics', removalDeadlineHours: 24 });
    expect(choice.reason).toBe('The platform "pics" answers to AU (24 hours).');
  });

  it('takes the shortest clock of all that apply: meeting it meets the others', () => {
    const platformShorter = decideJurisdiction({ platforms: [{ platform: 'pics', jurisdiction: 'AU' }], requesterLocation: 'US' });
    expect(platformShorter).toMatchObject({ code: 'AU', source: 'platform' });
    expect(platformShorter.reason).toMatch(/shorter than US where the requester is \(48 hours\)/);
    const locationShorter = decideJurisdiction({ platforms: [{ platform: 'pics', jurisdiction: 'EU' }], requesterLocation: 'au' });
    expect(locationShorter).toMatchObject({ code: 'AU', source: 'requester_location', removalDeadlineHours: 24 });
    expect(locationShorter.considered).toEqual([
      { source: 'requester_location', code: 'AU', hours: 24 },
      { source: 'platform', code: 'EU', hours: 48, platform: 'pics' },
    ]);
  });

  it("gives a tie to the requester's location, then to platforms by name", () => {
    expect(decideJurisdiction({ platforms: [{ platform: 'pics', jurisdiction: 'US' }], requesterLocation: 'EU' })).toMatchObject({ code: 'EU', source: 'requester_location' });
    const two = decideJurisdiction({ platforms: [{ platform: 'zeta', jurisdiction: 'UK' }, { platform: 'alpha', jurisdiction: 'EU' }] });
    expect(two).toMatchObject({ code: 'EU', platform: 'alpha' });
    expect(two.reason).toMatch(/UK of the platform "zeta" \(48 hours\) has the same clock/);
  });

  it("leaves out a platform's setting that is no longer configured", () => {
    expect(decideJurisdiction({ platforms: [{ platform: 'pics', jurisdiction: 'NZ' }] })).toMatchObject({ code: 'US', source: 'deployment_default' });
  });

  it('follows configured clocks', () => {
    const config = { rules: { EU: { removalDeadlineHours: 12, escalationAfterHours: [6, 9] } } };
    expect(decideJurisdiction({ platforms: [{ platform: 'pics', jurisdiction: 'AU' }], requesterLocation: 'EU' }, config)).toMatchObject({ code: 'EU', removalDeadlineHours: 12 });
  });
});

describe('escalationPointsFor', () => {
  it("keeps the regime's points on its own clock and scales them to a regulator's period", () => {
    expect(escalationPointsFor(profileFor('US'), 48)).toEqual([24, 36]);
    expect(escalationPointsFor(profileFor('US'), 24)).toEqual([12, 18]);
    expect(escalationPointsFor(profileFor('AU'), 6)).toEqual([3, 4.5]);
  });
});

describe('readRegulatorNotice', () => {
  const now = new Date('2026-12-07T00:00:00Z');
  const base = { regulator: 'eSafety Commissioner', reference: 'RN-2026-0042', jurisdiction: 'AU', items: [{ url: 'https://pics.example/p/1' }] };

  it('runs the clock for the period from receipt', () => {
    const read = readRegulatorNotice({ ...base, periodHours: 24, receivedAt: '2026-12-06T22:00:00Z' }, now, DEFAULT_REQUEST_LIMITS);
    expect(read.ok).toBe(true);
    if (read.ok) {
      expect(read.notice).toMatchObject({ regulator: 'eSafety Commissioner', reference: 'RN-2026-0042', jurisdiction: 'AU', periodHours: 24 });
      expect(read.notice.dueAt.toISOString()).toBe('2026-12-07T22:00:00.000Z');
      expect(read.notice.items).toEqual([{ url: 'https://pics.example/p/1' }]);
    }
  });

  it('takes a due time with its zone instead of a period; receipt defaults to now', () => {
    const read = readRegulatorNotice({ ...base, periodHours: '', dueAt: '2026-12-07T13:30:00+11:00' }, now, DEFAULT_REQUEST_LIMITS);
    expect(read.ok && [read.notice.dueAt.toISOString(), read.notice.receivedAt.toISOString(), read.notice.periodHours]).toEqual(['2026-12-07T02:30:00.000Z', now.toISOString(), undefined]);
  });

  it('names every problem by field', () => {
    const read = readRegulatorNotice({ regulator: ' ', jurisdiction: 'XX', periodHours: 0, dueAt: 'tomorrow', items: [], extra: 1 }, now, DEFAULT_REQUEST_LIMITS);
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.errors.map((e) => `${e.field}:${e.code}`).sort()).toEqual(
        ['extra:unknown_field', 'regulator:required', 'reference:required', 'jurisdiction:unknown_jurisdiction', 'periodHours:invalid_period', 'dueAt:invalid_time', 'dueAt:period_and_due', 'items:required'].sort(),
      );
    }
    const neither = readRegulatorNotice(base, now, DEFAULT_REQUEST_LIMITS);
    expect(!neither.ok && neither.errors.map((e) => e.field)).toEqual(['periodHours']);
    const past = readRegulatorNotice({ ...base, dueAt: '2026-12-06T00:00:00Z' }, now, DEFAULT_REQUEST_LIMITS);
    expect(!past.ok && past.errors.map((e) => e.code)).toEqual(['before_received']);
  });
});
