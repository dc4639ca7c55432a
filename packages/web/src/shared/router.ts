/** A tiny client-side router on the History API: the current path, and navigation that moves focus for screen readers. */
import { useEffect, useState } from 'react';

const listeners = new Set<() => void>();

/**
 * Every entry this page pushes carries `depth`: how many entries this tab's pages pushed before it. The depth
 * of the entry this document was loaded on (0 on arrival, more after a reload) is where it started, so the
 * quick exit knows how many entries it can step back over without leaving this document.
 */
interface EntryState {
  depth?: number;
  [key: string]: unknown;
}

const currentState = (): EntryState => (window.history.state as EntryState | null) ?? {};
const documentStartDepth = currentState().depth ?? 0;
// The entry shown last, so an entry the browser adds by itself can be given its place.
let lastState: EntryState = currentState();

// A link to a fragment (the skip link, an error summary's link to its field) adds an entry with no state: it
// gets the depth after the one it came from and keeps that entry's step, so Back and the quick exit still count
// right. Registered when this module loads, before any page listens.
function placeNewEntry(): void {
  if (window.history.state === null) {
    const { from: _from, ...kept } = lastState;
    window.history.replaceState({ ...kept, depth: (lastState.depth ?? 0) + 1 }, '', window.location.href);
  }
  lastState = currentState();
}
window.addEventListener('popstate', placeNewEntry);
window.addEventListener('hashchange', placeNewEntry);

/** How many entries of this document lie before the current one (0: it is the entry the page was loaded on). */
export function historyDepth(): number {
  return Math.max(0, (currentState().depth ?? 0) - documentStartDepth);
}

/** The current entry's own data (a form step, say), without the depth. */
export function entryState(): Record<string, unknown> {
  const { depth: _depth, ...rest } = currentState();
  return rest;
}

/** Adds a history entry (`path` may stay the same: a step of a form) with `state` kept on it. */
export function pushEntry(path: string, state: Record<string, unknown> = {}): void {
  window.history.pushState({ ...state, depth: (currentState().depth ?? 0) + 1 }, '', path);
  lastState = currentState();
}

/** Changes the current entry's data, keeping its place. */
export function replaceEntry(state: Record<string, unknown>): void {
  window.history.replaceState({ ...state, depth: currentState().depth ?? 0 }, '', window.location.pathname + window.location.search + window.location.hash);
  lastState = currentState();
}

export function navigate(path: string): void {
  pushEntry(path);
  for (const listener of listeners) listener();
  window.scrollTo(0, 0);
}

export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const update = () => setPath(window.location.pathname);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return path;
}

/** Moves focus to the page's main heading after a page change, so screen readers announce the new page. */
export function useFocusHeading(key: unknown): void {
  useEffect(() => {
    const heading = document.querySelector<HTMLElement>('main h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }, [key]);
}
