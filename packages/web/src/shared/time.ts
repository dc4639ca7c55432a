/** Time shown to people: deadlines and time left, in words. Pure. */

/** "3 h 20 min left", "45 min left", or "2 h 5 min overdue". */
export function timeLeft(deadlineIso: string, nowMs: number): { text: string; overdue: boolean; ms: number } {
  const ms = Date.parse(deadlineIso) - nowMs;
  const overdue = ms < 0;
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const amount = hours > 0 ? `${hours} h ${rest} min` : `${rest} min`;
  return { text: overdue ? `${amount} overdue` : `${amount} left`, overdue, ms };
}

/** A date and time in the reader's own time zone, e.g. "Fri 27 Nov, 14:05". */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
  });
}
