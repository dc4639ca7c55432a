import type { SignalMatch } from './signals/signal-type.ts';

/**
 * Where a match is being decided:
 * - `upload-check`: a platform asks before an upload goes live; blocking it removes nothing already public,
 *   the uploader is told why and can appeal.
 * - `known-copy-sweep`: content the platform already hosts is compared with an item a person confirmed
 *   (§3(a)(3)(B)); actioning it removes someone's post without a person looking.
 */
export type ActionContext = 'upload-check' | 'known-copy-sweep';

export interface MatchToDecide {
  /** The signal type's name, for the reason. */
  signal: string;
  /** The match, judged by its signal type against the bank's thresholds. */
  match: SignalMatch;
  /** The matched hash belongs to an item a person of this deployment confirmed (the confirmed bank). */
  confirmedSource: boolean;
}

export interface ActionDecision {
  action: 'block' | 'review';
  /** For the audit log and the check's explanation: why, with the threshold that decided. */
  reason: string;
}

/**
 * The one rule for acting without a person (docs/decisions/004-automatic-action.md; DESIGN §1). A machine
 * acts only on a copy of something a person already confirmed, never on a hash too uniform to identify
 * content, and:
 * - an upload is blocked when the match is within the bank's block threshold for its signal type (exact
 *   digests by default; PDQ up to 10 bits by default, configurable per bank from exact-only to never);
 * - hosted content found by a sweep is actioned only when it is an exact copy (identical digest or PDQ
 *   distance 0) that the bank would also block.
 * Everything else that matches goes to a person.
 *
 * @example decideAction('upload-check', { signal: 'md5', match, confirmedSource: true }) // { action: 'block', … }
 */
export function decideAction(context: ActionContext, { signal, match, confirmedSource }: MatchToDecide): ActionDecision {
  const at = `${signal} ${match.distance}`;
  if (!confirmedSource) return { action: 'review', reason: `${at}: the matched hash was not confirmed by a reviewer of this deployment` };
  if (!match.trustworthy) return { action: 'review', reason: `${at}: too uniform to identify content (quality under 50)` };
  if (!match.withinBlock) return { action: 'review', reason: `${at}: beyond the bank's block threshold (review threshold ${match.threshold})` };
  if (context === 'known-copy-sweep' && !match.exact) return { action: 'review', reason: `${at}: a near copy of hosted content needs a person` };
  return { action: 'block', reason: `${at}: ${match.exact ? 'exact' : 'near-exact'} copy of a confirmed item (block threshold ${match.threshold})` };
}
