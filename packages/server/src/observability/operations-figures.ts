/**
 * What the database says about the legal clock and the machinery, read at each metrics scrape. Counts and ages
 * only, labelled by jurisdiction, job kind or platform name: never a case, an item, a person or an address.
 */
export interface OperationsFigures {
  /** Open items (pending or confirmed, demo cases left out) by jurisdiction and time left before the deadline. */
  openItems: { jurisdiction: string; timeLeft: TimeLeft; count: number; escalated: number }[];
  /** Items whose deadline ever passed before removal, by jurisdiction (it only grows). */
  breachedItems: { jurisdiction: string; count: number }[];
  /** Jobs not done yet, by kind: all of them, those due now, and how long the oldest due one has waited. */
  jobs: { kind: string; pending: number; due: number; oldestDueSeconds: number }[];
  /** Webhook events not delivered, by platform: those still retrying after a failure, those given up on, and the age of the oldest failing one. */
  webhooks: { platform: string; failing: number; givenUp: number; oldestFailingSeconds: number }[];
}

/** The time-left buckets of open items, from the most urgent; `breached` is past its deadline. */
export const TIME_LEFT = ['breached', 'under_6h', 'under_12h', 'under_24h', 'over_24h'] as const;
export type TimeLeft = (typeof TIME_LEFT)[number];
