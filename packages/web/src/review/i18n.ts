/** The console's translator, typed by the English catalogue's keys (a wrong key fails the typecheck). */
import { useTranslator, type Translator } from '../i18n/I18n.tsx';
import type { ReviewMessageId } from '../i18n/review-en.ts';
import type { SharedMessageId } from '../i18n/shared-en.ts';
import { timeLeft } from '../shared/time.ts';

export type ReviewId = ReviewMessageId | SharedMessageId;
export const useT = (): Translator<ReviewId> => useTranslator<ReviewId>();

/** "3 h 20 min left" / "45 min overdue", in the console's language. */
export function timeLeftText(t: Translator<ReviewId>, deadlineIso: string, nowMs: number) {
  const left = timeLeft(deadlineIso, nowMs);
  return { ...left, text: t.text(left.overdue ? 'time.overdue' : 'time.left', { hours: left.hours, minutes: left.minutes }) };
}

/** An item state in words, or the raw state for one these pages do not know. */
export function stateText(t: Translator<ReviewId>, state: string): string {
  const id = `state.${state}`;
  return ['pending', 'in_review', 'confirmed', 'removed', 'declined', 'withdrawn'].includes(state) ? t.text(id as ReviewId) : state.replace(/_/g, ' ');
}
