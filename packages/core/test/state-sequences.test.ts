import { describe, expect, it } from 'vitest';
import {
  type CaseState,
  DECLINE_REASONS,
  HOUR_MS,
  type ItemEvent,
  type ItemSnapshot,
  ManualClock,
  applyItemEvent,
  deriveCaseState,
  isFinalItemState,
} from '../src/index.ts';

/** Small seeded generator (mulberry32) so a failing sequence can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('random event sequences', () => {
  it('never leave a final state, never stop the clock twice, and keep the case state consistent', () => {
    const random = seeded(20260519);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const actor = { kind: 'staff' as const, id: 'u' };
    for (let run = 0; run < 300; run++) {
      const clock = new ManualClock(new Date('2026-05-19T00:00:00Z'));
      const receivedAt = clock.now();
      let items: ItemSnapshot[] = Array.from({ length: 1 + Math.floor(random() * 4) }, () => ({
        state: 'pending' as const,
        receivedAt,
        deadlineAt: new Date(receivedAt.getTime() + 48 * HOUR_MS),
      }));
      let caseState: CaseState = 'received';
      for (let step = 0; step < 12; step++) {
        clock.advance(Math.floor(random() * 6 * HOUR_MS));
        const index = Math.floor(random() * items.length);
        const event: ItemEvent = pick<ItemEvent>([
          { type: 'confirm', actor },
          { type: 'decline', actor, reason: pick(DECLINE_REASONS), note: 'because' },
          { type: 'escalate', actor, reason: 'unsure' },
          { type: 'removed', at: clock.now() },
          { type: 'withdraw' },
        ]);
        const before = items[index];
        const result = applyItemEvent(before, event, clock.now());
        if (isFinalItemState(before.state)) expect(result.ok).toBe(false);
        if (!result.ok) continue;
        const after = result.item;
        if (after.state === 'removed') {
          expect(before.state).toBe('confirmed');
          expect(after.removedAt).toEqual(clock.now());
        } else {
          expect(after.removedAt).toBeUndefined();
        }
        expect(result.changes).toMatchObject({ from: before.state, to: after.state });
        items = items.map((item, i) => (i === index ? after : item));
        const next = deriveCaseState(items, caseState);
        if (caseState === 'withdrawn') expect(next).toBe('withdrawn');
        if (items.every((item) => isFinalItemState(item.state))) expect(['resolved', 'rejected', 'withdrawn']).toContain(next);
        else expect(['received', 'in_review']).toContain(next);
        if (caseState === 'in_review') expect(next).not.toBe('received');
        caseState = next;
      }
    }
  });
});
