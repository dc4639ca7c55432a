import { HOUR_MS } from './clock.ts';
import { type Failure, failure } from './result.ts';

/**
 * An uploader's complaint against a removal (DSA Art. 20 internal complaint handling; UK OSA complaints duty):
 * sent by the hosting platform for its uploader, decided by a person other than the one who decided the item,
 * within a stated time, with reasons.
 *
 *   open ──uphold──▶ upheld    (the removal is reversed: the platform may restore the content)
 *     └───reject──▶ rejected  (the removal stands)
 */
export const APPEAL_STATES = ['open', 'upheld', 'rejected'] as const;
export type AppealState = (typeof APPEAL_STATES)[number];

export const APPEAL_DECISIONS = ['uphold', 'reject'] as const;
export type AppealDecision = (typeof APPEAL_DECISIONS)[number];

/** Default time to decide an appeal (decisions/017-appeals-and-notifier-safeguards.md). */
export const DEFAULT_APPEAL_DECISION_HOURS = 7 * 24;
export const MAX_APPEAL_STATEMENT_LENGTH = 5000;
export const MAX_APPEAL_REASON_LENGTH = 2000;

/** Only a removal can be appealed: an item confirmed for removal or removed. */
const APPEALABLE_ITEM_STATES: readonly string[] = ['confirmed', 'removed'];

/** Whether an uploader may appeal the decision on an item in this state; the failure says why not. */
export function checkAppealable(itemState: string, hasOpenAppeal: boolean): { ok: true } | Failure {
  if (!APPEALABLE_ITEM_STATES.includes(itemState)) {
    return failure('not_appealable', 'Only a removal can be appealed, and this item was not removed (it may have been declined, withdrawn or not decided yet).');
  }
  if (hasOpenAppeal) return failure('appeal_open', 'An appeal against this removal is already open; wait for its decision (appeal.decided).');
  return { ok: true };
}

/** When an appeal opened at `openedAt` must be decided. */
export function appealDueAt(openedAt: Date, decideWithinHours: number): Date {
  return new Date(openedAt.getTime() + decideWithinHours * HOUR_MS);
}

/**
 * Who may decide an appeal: not the person who decided the item (Art. 20(6): not solely automated, by
 * appropriately qualified staff; and a fresh pair of eyes). `itemDecidedBy` is the actor recorded on the item
 * (`staff:<username>`, or `system` for an automatic decision, which any qualified person may review).
 */
export function checkAppealDecider(deciderActor: string, itemDecidedBy: string | null): { ok: true } | Failure {
  if (itemDecidedBy !== null && itemDecidedBy === deciderActor) {
    return failure('same_decider', 'You decided this item, so another senior reviewer must decide the appeal against it.');
  }
  return { ok: true };
}

/** Checks a decision on an appeal: uphold or reject, with reasons (the uploader's platform is told them). */
export function checkAppealDecision(decision: { decision: string; reason?: string }): { ok: true; decision: AppealDecision; reason: string } | Failure {
  if (!(APPEAL_DECISIONS as readonly string[]).includes(decision.decision)) return failure('invalid_decision', 'Choose "uphold" (restore the content) or "reject" (the removal stands).');
  const reason = typeof decision.reason === 'string' ? decision.reason.trim() : '';
  if (reason === '') return failure('reason_required', 'Please write the reasons for this decision: the uploader is told them.');
  if (reason.length > MAX_APPEAL_REASON_LENGTH) return failure('reason_too_long', `The reasons can be at most ${MAX_APPEAL_REASON_LENGTH} characters; please shorten them.`);
  return { ok: true, decision: decision.decision as AppealDecision, reason };
}

/** The appeal's state after a decision. */
export function appealStateAfter(decision: AppealDecision): AppealState {
  return decision === 'uphold' ? 'upheld' : 'rejected';
}
