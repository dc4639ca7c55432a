/**
 * "Leave this site quickly": someone may be watched or interrupted while asking for help. The button (or Shift
 * pressed three times outside a form field, GOV.UK's "exit this page" pattern) wipes what this tab kept, blanks
 * the page, steps back over this page's own history entries and replaces the first one with an everyday site,
 * so Back does not lead to any page of ours (docs/decisions/024-request-journey-that-forgives.md).
 */
import { useEffect, useState } from 'react';
import { useT } from './i18n.ts';
import { forgetEverything } from './tab-memory.ts';
import { historyDepth } from '../shared/router.ts';
import { shiftKeyMeaning, ShiftCounter, type KeyTarget } from './quick-exit-keys.ts';

export const QUICK_EXIT_URL = 'https://www.google.com/search?q=weather+today';

/** Kept in the tab after an exit, so a page of ours reached again with Back or Forward leaves at once. */
const LEFT_FLAG = 'takedown.left';

let leaving = false;

function goToNeutralSite(): void {
  if (leaving) return;
  leaving = true;
  window.location.replace(QUICK_EXIT_URL);
}

export function leaveQuickly(): void {
  document.title = 'Weather';
  document.body.replaceChildren();
  forgetEverything();
  try {
    sessionStorage.setItem(LEFT_FLAG, '1');
  } catch {
    // Storage refused (private mode, full): the history steps below still apply.
  }
  // Entries this page pushed (form steps, pages) are the same document: step back over all of them, then
  // replace the first. A browser cannot delete entries; a traversal that would reload a page is not made.
  const depth = historyDepth();
  if (depth > 0) {
    window.addEventListener('popstate', goToNeutralSite, { once: true });
    // If the browser does not make the traversal (it may refuse one), leave from where the page is.
    setTimeout(goToNeutralSite, 1_000);
    window.history.go(-depth);
  } else {
    goToNeutralSite();
  }
}

/**
 * Run before the page draws anything: a page of ours reached by Back or Forward after a quick exit in this tab
 * (an entry the exit could not replace) leaves again at once. A fresh visit (a typed address, a link) clears it.
 * Returns true when the page is leaving.
 */
export function leaveAgainIfExited(): boolean {
  let left: boolean;
  try {
    left = sessionStorage.getItem(LEFT_FLAG) === '1';
  } catch {
    return false;
  }
  if (!left) return false;
  const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  if (navigation?.type === 'back_forward') {
    document.title = 'Weather';
    goToNeutralSite();
    return true;
  }
  sessionStorage.removeItem(LEFT_FLAG);
  return false;
}

export function QuickExit() {
  const t = useT();
  const [pressesLeft, setPressesLeft] = useState(0);
  useEffect(() => {
    const counter = new ShiftCounter();
    const onKey = (event: KeyboardEvent) => {
      // Never inside a field or an open list: Shift is how capitals are typed.
      const meaning = shiftKeyMeaning({ key: event.key, repeat: event.repeat, target: event.target instanceof Element ? (event.target as KeyTarget) : null });
      if (meaning === 'ignore') return;
      if (meaning === 'reset') {
        counter.reset();
        setPressesLeft(0);
        return;
      }
      const left = counter.press(event.timeStamp);
      if (left === 0) leaveQuickly();
      else setPressesLeft(left);
    };
    // A page restored from the back-forward cache after an exit leaves again.
    const onShow = (event: PageTransitionEvent) => {
      if (event.persisted && sessionStorage.getItem(LEFT_FLAG) === '1') {
        leaving = false;
        goToNeutralSite();
      }
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('pageshow', onShow);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pageshow', onShow);
    };
  }, []);
  return (
    <div className="quick-exit-bar">
      {/*
        On a phone the short label shows, so the header stays two short rows; the full label stays the button's
        name for screen readers and voice control (the short one is part of it: WCAG 2.5.3, label in name).
      */}
      <button type="button" className="quick-exit" onClick={leaveQuickly}>
        <span className="quick-exit-label">{t.text('quickExit.button')}</span>
        <span className="quick-exit-short" aria-hidden="true">{t.text('quickExit.short')}</span>{' '}
        <span className="quick-exit-key">{t.text('quickExit.key')}</span>
      </button>
      <p className="visually-hidden" role="status">{pressesLeft > 0 && pressesLeft < 3 ? t.text('quickExit.pressMore', { count: pressesLeft }) : ''}</p>
    </div>
  );
}
