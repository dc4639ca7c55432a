import { afterEach, describe, expect, it, vi } from 'vitest';
import { keepListening } from '../src/services/keep-listening.ts';

/** A database whose listens fail while `down` is set, and whose live listen can be cut. */
function flakyDatabase() {
  const state = {
    down: false,
    tries: [] as number[],
    live: 0,
    cut: (): void => {
      throw new Error('not listening');
    },
    notify: (): void => undefined,
  };
  const database = {
    listen: async (_channel: string, onNotify: () => void, onLost?: (error: Error) => void) => {
      state.tries.push(Date.now());
      if (state.down) throw new Error('connection refused');
      state.live += 1;
      let ended = false;
      state.notify = onNotify;
      state.cut = () => {
        ended = true;
        state.live -= 1;
        onLost?.(new Error('terminating connection due to administrator command'));
      };
      return async () => {
        if (!ended) state.live -= 1;
        ended = true;
      };
    },
  };
  return { state, database };
}

describe('a kept listen', () => {
  afterEach(() => void vi.useRealTimers());

  it('listens again after a loss, pausing 1 s doubling to 30 s while tries fail, and says so once each way', async () => {
    vi.useFakeTimers({ now: 0 });
    const { state, database } = flakyDatabase();
    const events = { onNotify: vi.fn(), onLost: vi.fn(), onRestored: vi.fn() };
    const stop = await keepListening(database, 'chan', events);
    expect(state.live).toBe(1);
    state.notify();
    expect(events.onNotify).toHaveBeenCalledTimes(1);

    // PostgreSQL goes away: the listen is lost, and every try fails for a while.
    state.down = true;
    state.cut();
    expect(events.onLost).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(200_000);
    // The first listen and the loss were both at 0: each pause is the time since the try before.
    const pauses = state.tries.slice(1).map((at, i) => at - state.tries[i]);
    expect(pauses.slice(0, 8)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(events.onLost).toHaveBeenCalledTimes(1);
    expect(events.onRestored).not.toHaveBeenCalled();

    // Back: the next try listens; the pauses start again from 1 s at the next loss.
    state.down = false;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(state.live).toBe(1);
    expect(events.onRestored).toHaveBeenCalledTimes(1);
    const before = state.tries.length;
    state.cut();
    expect(events.onLost).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(state.tries.length).toBe(before);
    await vi.advanceTimersByTimeAsync(1);
    expect(state.tries.length).toBe(before + 1);
    expect(state.live).toBe(1);
    expect(events.onRestored).toHaveBeenCalledTimes(2);

    await stop();
    expect(state.live).toBe(0);
  });

  it('keeps trying when the first listen fails, and stops trying when stopped', async () => {
    vi.useFakeTimers({ now: 0 });
    const { state, database } = flakyDatabase();
    state.down = true;
    const events = { onNotify: vi.fn(), onLost: vi.fn(), onRestored: vi.fn() };
    const stop = await keepListening(database, 'chan', events, { firstMs: 100, maxMs: 400 });
    expect(events.onLost).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    // 100, 200, 400, 400 ms after the first try
    expect(state.tries).toEqual([0, 100, 300, 700]);
    await stop();
    state.down = false;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(state.tries).toHaveLength(4);
    expect(state.live).toBe(0);
    expect(events.onRestored).not.toHaveBeenCalled();
  });
});
