/**
 * Ordering and filtering the review queue for display. Pure. The server already orders by deadline; the
 * console keeps the rule visible and testable: breached first, then escalated, then soonest deadline.
 */

import type { ReviewMarker } from '@takedown/core';

/** One row of GET /v1/review/queue. */
export interface QueueEntry {
  itemId: string;
  caseNumber: string;
  position: number;
  state: string;
  deadline: string;
  url?: string;
  /** A copy the sweep found: the platform whose index gave its address (its claim). */
  reportedBy?: string;
  /** The signal types' fields (`pdq`, `pdqQuality`, `md5`, …), as core's signal registry reads them. */
  hashes: Record<string, unknown>;
  escalationLevel: number;
  breached: boolean;
  queue: 'standard' | 'senior';
  routeReasons: string[];
  /** The rules (and so the clock) the case runs on: US, EU, UK, AU or a configured code. */
  jurisdiction: string;
  /** Set when the item came from a regulator's notice: its deadline is the regulator's. */
  regulatorNotice?: { regulator: string; reference: string };
  publicInterest: boolean;
  demo: boolean;
  /** Core's review markers: shared_copy, video, minor, regulator_notice, appeal, duplicate, resubmission. */
  markers: ReviewMarker[];
  /** The earlier item of the same person this one asks about again. */
  repeatOf?: { kind: 'duplicate' | 'resubmission'; itemId: string; caseNumber: string; position: number };
}

export interface QueueFilters {
  /** '' = the open items (pending and confirmed), else one item state. Applied by the server. */
  state: string;
  /** Applied here: the server has no notion of platform beyond the link. */
  platform: string;
  escalated: 'any' | 'yes' | 'no';
}

/** The query string for the server's part of the filters. */
export function queueQuery(filters: QueueFilters, senior: boolean): string {
  const params = new URLSearchParams();
  if (filters.state) params.set('state', filters.state);
  if (filters.escalated !== 'any') params.set('escalated', filters.escalated === 'yes' ? 'true' : 'false');
  params.set('queue', senior ? 'senior' : 'standard');
  return params.toString();
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
  return [...entries].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      Date.parse(a.deadline) - Date.parse(b.deadline) ||
      a.caseNumber.localeCompare(b.caseNumber) ||
      a.position - b.position,
  );
}

export function filterQueue(entries: QueueEntry[], filters: QueueFilters): QueueEntry[] {
  return entries.filter((e) => !filters.platform || platformOf(e.url) === filters.platform);
}
