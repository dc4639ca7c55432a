import {
  BUILT_IN_JURISDICTIONS,
  DEFAULT_JURISDICTION,
  lookupJurisdiction,
  type JurisdictionConfig,
  type JurisdictionRules,
  type Regulator,
} from './jurisdiction.ts';

/** A regime with everything reviewers and notices need: its clock, its regulator, the law it removes under. */
export interface JurisdictionProfile extends JurisdictionRules {
  regulator?: Regulator;
  /** The law named in the uploader's statement of reasons; unset: the built-in wording for the code. */
  legalGround?: string;
}

/**
 * The regulators of the built-in regimes (a deployment may name others, docs/operations.md):
 * - US: the Federal Trade Commission enforces §3 (TAKE IT DOWN Act §3(b)).
 * - EU: the Digital Services Coordinator of the Member State, and the Commission for very large platforms
 *   (DSA Art. 49 and 56); the Commission's page lists the coordinators.
 * - UK: Ofcom (Online Safety Act 2023).
 * - AU: the eSafety Commissioner (Online Safety Act 2021), who issues removal notices.
 */
export const BUILT_IN_REGULATORS: Readonly<Record<string, Readonly<Regulator>>> = Object.freeze({
  US: Object.freeze({ name: 'Federal Trade Commission', url: 'https://www.ftc.gov' }),
  EU: Object.freeze({ name: 'Digital Services Coordinators and the European Commission', url: 'https://digital-strategy.ec.europa.eu/en/policies/dsa-dscs' }),
  UK: Object.freeze({ name: 'Ofcom', url: 'https://www.ofcom.org.uk' }),
  AU: Object.freeze({ name: 'eSafety Commissioner', url: 'https://www.esafety.gov.au' }),
});

/**
 * The full profile of a known code (see `lookupJurisdiction` for unknown ones): the configured clock, and the
 * configured regulator and legal ground over the built-in ones.
 * @example profileFor('AU').regulator?.name // 'eSafety Commissioner'
 */
export function profileFor(code: string | undefined, config?: JurisdictionConfig): JurisdictionProfile {
  const found = lookupJurisdiction(code, config);
  if (!found.ok) throw new Error(found.error.message);
  const settings = config?.rules?.[found.rules.code] ?? config?.rules?.[found.rules.code.toLowerCase()];
  const regulator = settings?.regulator ?? BUILT_IN_REGULATORS[found.rules.code];
  const legalGround = settings?.notice?.legalGround;
  return {
    code: found.rules.code,
    removalDeadlineHours: found.rules.removalDeadlineHours,
    escalationAfterHours: found.rules.escalationAfterHours,
    ...(regulator && { regulator: { ...regulator } }),
    ...(legalGround && { legalGround }),
  };
}

/** Where the chosen jurisdiction came from (`regulator_notice`: a regulator's notice, entered by staff). */
export type JurisdictionSource = 'platform' | 'requester_location' | 'deployment_default' | 'regulator_notice';

/** What a platform says about itself: its name (for the record) and the regime it answers to, if it set one. */
export interface PlatformJurisdiction {
  platform: string;
  jurisdiction: string | null;
}

/** The jurisdiction a case runs under, and why: recorded on the case and in its audit event. */
export interface JurisdictionChoice {
  code: string;
  removalDeadlineHours: number;
  source: JurisdictionSource;
  /** The platform whose setting decided, when `source` is `platform`. */
  platform?: string;
  /** Every regime that applied, for the record (the chosen one among them). */
  considered: { source: 'platform' | 'requester_location'; code: string; hours: number; platform?: string }[];
  /** One plain sentence for reviewers and the audit log. */
  reason: string;
}

/**
 * Decides which regime's clock a request runs on. Each regime that applies is a candidate: the setting of
 * every platform hosting an item of the request, and the location the requester stated. The platform must
 * meet all of them, so the shortest clock wins — meeting it meets the others; a tie goes to the requester's
 * location (the law where the person is), then to platforms by name. With no candidate, the deployment's
 * default applies. A code no longer configured (a platform's old setting) is left out, never a reason to fail.
 * @example decideJurisdiction({ platforms: [{ platform: 'pics', jurisdiction: 'AU' }], requesterLocation: 'US' }).code // 'AU'
 */
export function decideJurisdiction(
  input: { platforms: readonly PlatformJurisdiction[]; requesterLocation?: string },
  config?: JurisdictionConfig,
): JurisdictionChoice {
  const considered: JurisdictionChoice['considered'] = [];
  const location = input.requesterLocation?.trim().toUpperCase();
  if (location) {
    const found = lookupJurisdiction(location, config);
    if (found.ok) considered.push({ source: 'requester_location', code: found.rules.code, hours: found.rules.removalDeadlineHours });
  }
  const platforms = [...input.platforms].sort((a, b) => a.platform.localeCompare(b.platform));
  for (const { platform, jurisdiction } of platforms) {
    if (!jurisdiction) continue;
    const found = lookupJurisdiction(jurisdiction, config);
    if (found.ok) considered.push({ source: 'platform', code: found.rules.code, hours: found.rules.removalDeadlineHours, platform });
  }
  if (considered.length === 0) {
    const fallback = lookupJurisdiction(undefined, config);
    const code = fallback.ok ? fallback.rules.code : DEFAULT_JURISDICTION;
    const hours = fallback.ok ? fallback.rules.removalDeadlineHours : BUILT_IN_JURISDICTIONS[DEFAULT_JURISDICTION].removalDeadlineHours;
    return {
      code,
      removalDeadlineHours: hours,
      source: 'deployment_default',
      considered,
      reason: `No platform setting and no stated location apply, so the deployment's default ${code} (${hours} hours) applies.`,
    };
  }
  // Stable: the first of the shortest, in the order above (location first, then platforms by name).
  const chosen = considered.reduce((best, next) => (next.hours < best.hours ? next : best));
  const others = considered.filter((c) => c !== chosen && (c.code !== chosen.code || c.source !== chosen.source));
  const what = chosen.source === 'platform' ? `The platform "${chosen.platform}" answers to ${chosen.code}` : `The requester said they are in ${chosen.code}`;
  const longer = others.filter((c) => c.hours > chosen.hours);
  const tied = others.filter((c) => c.hours === chosen.hours && c.code !== chosen.code);
  const beyond = [
    longer.length > 0 ? `its ${chosen.hours}-hour clock is shorter than ${longer.map(describe).join(', ')}, so meeting it meets both` : '',
    tied.length > 0 ? `${tied.map(describe).join(', ')} has the same clock` : '',
  ].filter(Boolean);
  return {
    code: chosen.code,
    removalDeadlineHours: chosen.hours,
    source: chosen.source,
    ...(chosen.platform !== undefined && { platform: chosen.platform }),
    considered,
    reason: `${what} (${chosen.hours} hours)${beyond.length > 0 ? `; ${beyond.join('; ')}` : ''}.`,
  };
}

function describe(candidate: JurisdictionChoice['considered'][number]): string {
  return candidate.source === 'platform'
    ? `${candidate.code} of the platform "${candidate.platform}" (${candidate.hours} hours)`
    : `${candidate.code} where the requester is (${candidate.hours} hours)`;
}

/**
 * The escalation points of an item whose clock differs from its regime's (a regulator's own period): the
 * regime's points scaled to the item's clock, so an item still climbs at half and three quarters of its time.
 * An item on its regime's own clock keeps the regime's points exactly.
 * @example escalationPointsFor(profileFor('US'), 24) // [12, 18]
 */
export function escalationPointsFor(rules: Pick<JurisdictionRules, 'removalDeadlineHours' | 'escalationAfterHours'>, clockHours: number): number[] {
  if (clockHours === rules.removalDeadlineHours) return [...rules.escalationAfterHours];
  return rules.escalationAfterHours.map((hours) => (hours * clockHours) / rules.removalDeadlineHours);
}
