import { describe, expect, it } from 'vitest';
import { filterQueue, orderQueue, platformOf, queueQuery, type QueueEntry } from '../src/review/queue-view.ts';
import { binDurations } from '../src/review/chart.ts';
import { timeLeft } from '../src/shared/time.ts';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const entry = (over: Partial<QueueEntry>): QueueEntry => ({
  itemId: over.itemId ?? 'x', caseNumber: 'TD-1', position: 0, state: 'pending', deadline: '2026-06-02T12:00:00Z',
  hashes: {}, escalationLevel: 0, breached: false, queue: 'standard', routeReasons: [], jurisdiction: 'US', publicInterest: false, demo: false, markers: [], ...over,
});

describe('review queue order', () => {
  it('puts breached items first, then escalated, then the soonest deadline, then case and position', () => {
    const ordered = orderQueue([
      entry({ itemId: 'later', deadline: '2026-06-03T00:00:00Z' }),
      entry({ itemId: 'soon-2', deadline: '2026-06-01T20:00:00Z', position: 1 }),
      entry({ itemId: 'soon-1', deadline: '2026-06-01T20:00:00Z', position: 0 }),
      entry({ itemId: 'escalated', deadline: '2026-06-02T00:00:00Z', escalationLevel: 1 }),
      entry({ itemId: 'overdue', deadline: '2026-06-01T11:00:00Z' }),
      entry({ itemId: 'breached-flag', deadline: '2026-06-01T11:30:00Z', breached: true }),
    ], NOW);
    expect(ordered.map((e) => e.itemId)).toEqual(['overdue', 'breached-flag', 'escalated', 'soon-1', 'soon-2', 'later']);
  });

  it('filters by platform here and sends state and escalation to the server', () => {
    const items = [entry({ itemId: 'a', url: 'https://www.social.example/p/1' }), entry({ itemId: 'b', url: 'https://other.example/x' }), entry({ itemId: 'c' })];
    expect(platformOf(items[0].url)).toBe('social.example');
    expect(filterQueue(items, { state: '', platform: 'social.example', escalated: 'any' }).map((e) => e.itemId)).toEqual(['a']);
    expect(queueQuery({ state: 'declined', platform: '', escalated: 'yes' }, true)).toBe('state=declined&escalated=true&queue=senior');
    expect(queueQuery({ state: '', platform: '', escalated: 'any' }, false)).toBe('queue=standard');
  });
});

describe('time left and the removal chart', () => {
  it('says how long is left, or how overdue', () => {
    expect(timeLeft('2026-06-03T11:30:00Z', NOW).text).toBe('47 h 30 min left');
    expect(timeLeft('2026-06-01T11:15:00Z', NOW)).toMatchObject({ text: '45 min overdue', overdue: true });
  });

  it('bins removals in 4-hour steps with one open bin at the end', () => {
    const bins = binDurations([0.5, 3.9, 4, 47.9, 48, 100]);
    expect(bins).toHaveLength(19);
    expect(bins[0].count).toBe(2);
    expect(bins[1].count).toBe(1);
    expect(bins[11].count).toBe(1);
    expect(bins[12]).toMatchObject({ fromHours: 48, count: 1 });
    expect(bins[18]).toMatchObject({ fromHours: 72, toHours: Infinity, count: 1 });
  });
});
