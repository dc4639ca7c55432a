/**
 * Ordering and filtering the review queue for display. Pure. The server already orders by deadline; the
 * console keeps the rule visible and testable: breached first, then escalated, then soonest deadline.
 */

export interface QueueEntry {
  id: string;
  caseNumber: string;
  state: string;
  deadline: string;
  url?: string;
  escalationLevel: number;
  breached: boolean;
  queue: string;
  mediaType?: string;
}

export interface QueueFilters {
  state: string;
  platform: string;
  escalated: 'any' | 'yes' | 'no';
}

/** The site an item is on, from its link ("example.com"); items found only by hashes have none. */
export function platformOf(url: string | undefined): string {
  if (!url) return '';
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

export function orderQueue(entries: QueueEntry[], nowMs: number): QueueEntry[] {
  const rank = (e: QueueEntry) => (e.breached || Date.parse(e.deadline) < nowMs ? 0 : e.escalationLevel > 0 ? 1 : 2);
  return [...entries].sort((a, b) => rank(a) - rank(b) || Date.parse(a.deadline) - Date.parse(b.deadline));
}

export function filterQueue(entries: QueueEntry[], filters: QueueFilters): QueueEntry[] {
  return entries.filter(
    (e) =>
      (!filters.state || e.state === filters.state) &&
      (!filters.platform || platformOf(e.url) === filters.platform) &&
      (filters.escalated === 'any' || (filters.escalated === 'yes') === e.escalationLevel > 0),
  );
}
