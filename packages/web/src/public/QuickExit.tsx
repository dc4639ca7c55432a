/**
 * "Leave this site quickly": someone may be watched or interrupted while asking for help. The button (and the
 * Esc key) blanks this page at once and replaces it, in the same history entry, with an everyday site.
 */
import { useEffect } from 'react';
import { useT } from './i18n.ts';

export const QUICK_EXIT_URL = 'https://www.google.com/search?q=weather+today';

export function leaveQuickly(): void {
  document.title = 'Weather';
  document.body.replaceChildren();
  // What this tab kept (the person's file names of their items, the language chosen) goes too.
  try {
    sessionStorage.clear();
  } catch {
    // Storage refused: there was nothing in it.
  }
  window.location.replace(QUICK_EXIT_URL);
}

export function QuickExit() {
  const t = useT();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') leaveQuickly();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <button type="button" className="quick-exit" onClick={leaveQuickly}>
      {t.text('quickExit.button')} <span className="quick-exit-key">{t.text('quickExit.key')}</span>
    </button>
  );
}
