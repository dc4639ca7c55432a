/**
 * Why a reviewer declines to remove an item. A fixed list, so reports can count them and the requester can be
 * told in plain words; `other` needs a note saying what the reason was.
 */
export const DECLINE_REASONS = [
  'not_intimate',
  'consensual_evidence',
  'not_on_platform',
  'insufficient_information',
  'duplicate',
  'public_interest',
  'other',
] as const;

export type DeclineReason = (typeof DECLINE_REASONS)[number];

/** What each reason means, in the words shown to reviewers and (adapted) to the requester. */
export const DECLINE_REASON_DESCRIPTIONS: Readonly<Record<DeclineReason, string>> = Object.freeze({
  not_intimate: 'The content is not an intimate visual depiction as the law defines it.',
  consensual_evidence: 'There is clear evidence the person shown consented to this being published.',
  not_on_platform: 'The content could not be found on the platform.',
  insufficient_information: 'The request does not give enough information to find the content.',
  duplicate: 'The same content is already handled in another item or case.',
  public_interest: 'Publishing it is lawful and in the public interest (for example news reporting or a court record).',
  other: 'Another reason, written in the note.',
});

export function isDeclineReason(value: unknown): value is DeclineReason {
  return typeof value === 'string' && (DECLINE_REASONS as readonly string[]).includes(value);
}
