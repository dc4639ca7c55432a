import { describe, expect, it } from 'vitest';
import { UnknownJurisdictionError, knownJurisdictions, lookupJurisdiction, rulesFor, validateJurisdictionConfig } from '../src/index.ts';

describe('rulesFor', () => {
  it('knows the built-in regimes', () => {
    expect(rulesFor('US')).toEqual({ code: 'US', removalDeadlineHours: 48, escalationAfterHours: [24, 36] });
    expect(rulesFor('AU')).toEqual({ code: 'AU', removalDeadlineHours: 24, escalationAfterHours: [12, 18] });
    expect(rulesFor('EU').removalDeadlineHours).toBe(48);
    expect(rulesFor('UK').removalDeadlineHours).toBe(48);
    expect(knownJurisdictions()).toEqual(['US', 'AU', 'EU', 'UK']);
  });

  it('defaults to US only when no code is given, and ignores case', () => {
    expect(rulesFor().code).toBe('US');
    expect(rulesFor(' au ').code).toBe('AU');
  });

  it('refuses an unknown code instead of defaulting', () => {
    expect(() => rulesFor('XX')).toThrow(UnknownJurisdictionError);
    const found = lookupJurisdiction('XX');
    expect(found.ok).toBe(false);
    if (!found.ok) expect(found.error).toMatchObject({ field: 'jurisdiction', code: 'unknown_jurisdiction' });
  });

  it('takes overrides and new regimes from configuration', () => {
    const config = {
      rules: { US: { removalDeadlineHours: 36, escalationAfterHours: [12, 24] }, CA: { removalDeadlineHours: 24, escalationAfterHours: [12] } },
      defaultCode: 'CA',
    };
    expect(rulesFor('US', config)).toEqual({ code: 'US', removalDeadlineHours: 36, escalationAfterHours: [12, 24] });
    expect(rulesFor(undefined, config).code).toBe('CA');
    expect(rulesFor('US').removalDeadlineHours).toBe(48); // the built-in table is not changed
  });

  it('hands out copies, so a caller cannot change the built-in table', () => {
    rulesFor('US').escalationAfterHours.push(47);
    expect(rulesFor('US').escalationAfterHours).toEqual([24, 36]);
  });
});

describe('validateJurisdictionConfig', () => {
  it('accepts a sound configuration', () => {
    expect(validateJurisdictionConfig({ rules: { CA: { removalDeadlineHours: 24, escalationAfterHours: [12, 18] } } })).toEqual([]);
  });

  it('names every problem', () => {
    const errors = validateJurisdictionConfig({
      rules: {
        ca: { removalDeadlineHours: 24, escalationAfterHours: [] },
        NZ: { removalDeadlineHours: 0, escalationAfterHours: [] },
        FR: { removalDeadlineHours: 24, escalationAfterHours: [18, 12] },
        DE: { removalDeadlineHours: 24, escalationAfterHours: [12, 24] },
        IT: { removalDeadlineHours: 24, escalationAfterHours: [6, 12, 18] },
      },
      defaultCode: 'ZZ',
    });
    expect(errors.map((e) => e.field)).toEqual([
      'rules.ca',
      'rules.NZ.removalDeadlineHours',
      'rules.FR.escalationAfterHours.1',
      'rules.DE.escalationAfterHours.1',
      'rules.IT.escalationAfterHours',
      'defaultCode',
    ]);
  });
});
