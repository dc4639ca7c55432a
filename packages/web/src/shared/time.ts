/** Time left before a deadline. Pure. (Dates are formatted in the reader's language by i18n/I18n.tsx.) */

/** "3 h 20 min left", "45 min left", or "2 h 5 min overdue". */
export function timeLeft(deadlineIso: string, nowMs: number): { text: string; overdue: boolean; ms: number; hours: number; minutes: number } {
  const ms = Date.parse(deadlineIso) - nowMs;
  const overdue = ms < 0;
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const amount = hours > 0 ? `${hours} h ${rest} min` : `${rest} min`;
  return { text: overdue ? `${amount} overdue` : `${amount} left`, overdue, ms, hours, minutes: rest };
}
