/**
 * Imagery of someone under 18 is child sexual abuse material. It never leaves as a shared copy, it is reviewed
 * by senior staff, the person is shown NCMEC's own routes, and the platform is reminded of its duty to report.
 */

/** NCMEC's routes for the person shown and those helping them (shown on the form and the confirmation). */
export const NCMEC_ROUTES = Object.freeze({
  /** Take It Down: hashes made on the person's own device, shared with participating platforms. */
  takeItDown: 'https://takeitdown.ncmec.org/',
  /** CyberTipline: the US national report line for child sexual exploitation. */
  cyberTipline: 'https://report.cybertip.org/',
});

/** The duty a US provider has once it knows of apparent child sexual abuse material on its service. */
export const MINOR_REPORTING_DUTY = Object.freeze({
  law: '18 U.S.C. § 2258A',
  summary:
    'The requester says the person shown was under 18 when this was made. A US provider that obtains actual knowledge of apparent child sexual abuse material must report it to NCMEC’s CyberTipline (18 U.S.C. § 2258A) and preserve what it reports.',
  reportTo: NCMEC_ROUTES.cyberTipline,
});

/** What the review console and the platform API carry for an item of a case that concerns a minor. */
export interface MinorFlag {
  under18WhenMade: true;
  reportingDuty: typeof MINOR_REPORTING_DUTY;
}

/** The flag for a case, or undefined when the person was not said to be under 18. */
export function minorFlag(under18WhenMade: boolean): MinorFlag | undefined {
  return under18WhenMade ? { under18WhenMade: true, reportingDuty: MINOR_REPORTING_DUTY } : undefined;
}
