/** Item and case states as message ids of the words the person who asked reads. Pure. */
import type { PublicId } from './i18n.ts';

const ITEM_STATES = ['pending', 'in_review', 'confirmed', 'removed', 'declined', 'withdrawn'];
const CASE_STATES = ['received', 'in_review', 'resolved', 'withdrawn', 'rejected'];
const DECLINE_REASONS = ['not_intimate', 'consensual_evidence', 'not_on_platform', 'insufficient_information', 'duplicate', 'public_interest', 'other'];

/** The state's label and explanation, or undefined for a state these pages do not know (shown as it is). */
export function itemStateWords(state: string): { label: PublicId; explanation: PublicId } | undefined {
  if (!ITEM_STATES.includes(state)) return undefined;
  return { label: `itemState.${state}` as PublicId, explanation: `itemState.${state}.explain` as PublicId };
}

export function caseStateWords(state: string): PublicId | undefined {
  return CASE_STATES.includes(state) ? (`caseState.${state}` as PublicId) : undefined;
}

export function declineWords(reason: string): PublicId | undefined {
  return DECLINE_REASONS.includes(reason) ? (`decline.${reason}` as PublicId) : undefined;
}

/** True while the item can still change (it can be withdrawn and its deadline matters). */
export function itemIsOpen(state: string): boolean {
  return state === 'pending' || state === 'in_review' || state === 'confirmed';
}

/**
 * The uploader's appeal against a removal, as the person depicted hears of it: that it exists and how it ended,
 * never who appealed.
 */
export function appealWords(state: string): PublicId | undefined {
  return ['open', 'rejected', 'upheld'].includes(state) ? (`appeal.${state}` as PublicId) : undefined;
}
