/**
 * When to retry a webhook delivery that failed, and when a person must be told. Deliveries are at least
 * once: retried with exponential backoff (doubling from `baseMs`, capped at `maxMs`, 24 h by default) until
 * the platform answers 2xx or `maxAttempts` is reached.
 */
export interface DeliverySchedule {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
  /** Escalate the item to senior review after this many failed attempts... */
  escalateAfterFailures: number;
  /** ...or as soon as the next retry would come later than this long before the item's removal deadline. */
  escalateBeforeDeadlineMs: number;
  /** A delivery attempt waiting longer than this for an answer has failed. */
  timeoutMs: number;
}

const HOUR = 3_600_000;

export const DEFAULT_DELIVERY_SCHEDULE: DeliverySchedule = {
  baseMs: 30_000,
  maxMs: 24 * HOUR,
  maxAttempts: 25,
  escalateAfterFailures: 6,
  escalateBeforeDeadlineMs: 12 * HOUR,
  timeoutMs: 10_000,
};

/** Delay before attempt `failures + 1`, after `failures` failed attempts (failures ≥ 1). */
export function retryDelayMs(failures: number, schedule: Pick<DeliverySchedule, 'baseMs' | 'maxMs'>): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 40);
  return Math.min(schedule.maxMs, schedule.baseMs * 2 ** exponent);
}

export interface DeliveryState {
  failures: number;
  now: Date;
  /** The removal deadline of the item the event is about, if any. */
  deadline?: Date;
  alreadyEscalated: boolean;
}

export interface DeliveryPlan {
  /** When to try again; undefined when giving up. */
  retryAt?: Date;
  escalate: boolean;
  /** Why the item is escalated, for the audit log. */
  escalationReason?: string;
}

/** What to do after a failed attempt: when to retry, and whether a person must now act on the item. */
export function planAfterFailure(state: DeliveryState, schedule: DeliverySchedule): DeliveryPlan {
  const giveUp = state.failures >= schedule.maxAttempts;
  const retryAt = giveUp ? undefined : new Date(state.now.getTime() + retryDelayMs(state.failures, schedule));
  let escalationReason: string | undefined;
  if (!state.alreadyEscalated && state.deadline) {
    if (state.failures >= schedule.escalateAfterFailures) {
      escalationReason = `the platform's webhook failed ${state.failures} times in a row`;
    } else if (!retryAt || retryAt.getTime() > state.deadline.getTime() - schedule.escalateBeforeDeadlineMs) {
      escalationReason = `the platform's webhook is failing and the next attempt would come within ${Math.round(schedule.escalateBeforeDeadlineMs / HOUR)} h of the removal deadline`;
    }
  }
  return { retryAt, escalate: escalationReason !== undefined, escalationReason };
}
