/**
 * A budget for decoding pictures on the server: how many decodes run at once and how many bytes of decoded
 * pixels they may hold together. A decode that does not fit waits in a short queue; when the queue is full
 * too, it is refused at once with DecodeBusyError (the HTTP edge answers 503 with Retry-After), so a burst of
 * large or hostile pictures slows the callers down instead of taking the server's memory.
 */

export interface DecodeBudgetLimits {
  /** Decodes running at the same time. */
  concurrency: number;
  /** Bytes of decoded pixels all running decodes may hold together (each decode's cost is estimated first). */
  memoryBytes: number;
  /** Decodes that may wait for room; one more is refused. */
  queue: number;
}

/** The server is decoding as much as its budget allows; the caller should try again shortly. */
export class DecodeBusyError extends Error {
  override name = 'DecodeBusyError';
  /** Seconds after which a retry is likely to find room. */
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('The server is busy reading other pictures. Please try again in a few seconds.');
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

interface Waiting {
  cost: number;
  start: () => void;
}

export class DecodeBudget {
  readonly limits: DecodeBudgetLimits;
  private running = 0;
  private heldBytes = 0;
  private readonly waiting: Waiting[] = [];

  constructor(limits: DecodeBudgetLimits) {
    this.limits = limits;
  }

  /** Decodes running now and bytes they hold (for metrics and tests). */
  get usage(): { running: number; heldBytes: number; waiting: number } {
    return { running: this.running, heldBytes: this.heldBytes, waiting: this.waiting.length };
  }

  /**
   * Runs `decode` once `cost` bytes fit in the budget. A cost above the whole budget runs alone (it was
   * already checked against the pixel limit), so a large picture that is allowed is never refused for ever.
   */
  async run<T>(cost: number, decode: () => Promise<T>): Promise<T> {
    const bounded = Math.min(Math.max(0, cost), this.limits.memoryBytes);
    if (!this.fits(bounded) || this.waiting.length > 0) {
      if (this.waiting.length >= this.limits.queue) throw new DecodeBusyError(2);
      await new Promise<void>((start) => this.waiting.push({ cost: bounded, start }));
    } else {
      this.take(bounded);
    }
    try {
      return await decode();
    } finally {
      this.release(bounded);
    }
  }

  private fits(cost: number): boolean {
    return this.running < this.limits.concurrency && this.heldBytes + cost <= this.limits.memoryBytes;
  }

  private take(cost: number): void {
    this.running += 1;
    this.heldBytes += cost;
  }

  private release(cost: number): void {
    this.running -= 1;
    this.heldBytes -= cost;
    // First come, first served: the head of the queue starts as soon as it fits (no starving large pictures).
    while (this.waiting.length > 0 && this.fits(this.waiting[0].cost)) {
      const next = this.waiting.shift()!;
      this.take(next.cost);
      next.start();
    }
  }
}
