/**
 * A notice that travels with a page change: after a decision the console moves to the next item
 * (decide-and-next) and says there what was just decided. It rides in the history entry's state, so a
 * re-render shows it again and Back shows each page with the notice it was reached with.
 */
import { navigate } from '../shared/router.ts';
import type { ReviewId } from './i18n.ts';

export interface Notice {
  id: ReviewId;
  values?: Record<string, string | number>;
}

/** Goes to `path` with notices to show there. */
export function goWithNotices(path: string, notices: Notice[]): void {
  navigate(path);
  const state: unknown = window.history.state;
  window.history.replaceState({ ...(typeof state === 'object' && state !== null ? state : {}), reviewNotices: notices }, '');
}

/** The notices the current page was reached with. */
export function noticesHere(): Notice[] {
  const state = window.history.state as { reviewNotices?: Notice[] } | null;
  return Array.isArray(state?.reviewNotices) ? state.reviewNotices : [];
}
