import type { Translator } from '../i18n/I18n.tsx';
import type { PublicId } from './i18n.ts';

/** A wait in the reader's words, rounded up as the server words it: "1 minute", "2 Stunden", "1 giorno". */
export function waitInWords(t: Translator<PublicId>, seconds: number): string {
  const [amount, unit] = seconds >= 86_400 ? [seconds / 86_400, 'day'] : seconds >= 3_600 ? [seconds / 3_600, 'hour'] : [Math.max(1, seconds / 60), 'minute'];
  return t.intl.formatNumber(Math.ceil(amount), { style: 'unit', unit, unitDisplay: 'long' });
}

/** From how many tries left before a wait a page warns (the owner gets 5 free mistakes: warn at the last 3). */
export const WARN_WHEN_TRIES_LEFT = 3;
