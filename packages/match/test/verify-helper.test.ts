import { afterAll, describe, expect, it } from 'vitest';
import { MatchIndex } from '../src/index.ts';
import { VerifyHelper } from '../src/verify-helper.ts';
import { clusteredHashes, matchesWithin, naiveDistances, nearby, randomHashes, seededRandom } from './helpers.ts';

const helpers: VerifyHelper[] = [];
afterAll(async () => {
  for (const helper of helpers) await helper.close();
});

function newHelper(): VerifyHelper {
  const helper = new VerifyHelper();
  helpers.push(helper);
  return helper;
}

/** Queries until the helper has taken the index's memory (it starts and attaches asynchronously). */
async function untilHelperTakesPart(index: MatchIndex, helper: VerifyHelper, query: Uint32Array): Promise<void> {
  for (let i = 0; i < 500; i++) {
    index.query(query);
    if (helper.readyFor((index as unknown as { store: { memory: WebAssembly.Memory } }).store.memory)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the helper thread never became ready');
}

describe('a helper thread verifying half of the candidates', () => {
  const random = seededRandom(71);
  const words = clusteredHashes(100, 300, random); // 30 000 rows: near-duplicates at every distance 0..40
  const rows = words.length / 8;
  const ids = Uint32Array.from({ length: rows }, (_, i) => i % 20_000); // some ids hold several hashes
  const queries = Array.from({ length: 30 }, (_, q) => nearby(words, (random() % rows) * 8, q % 25, random));

  it.each(['narrow', 'wide'] as const)('gives exactly the results of one thread and of the naive oracle, through removals and compactions (%s layout)', async (layout) => {
    const helper = newHelper();
    const index = MatchIndex.build(ids, words, { helper, helperMinRows: 1, layout });
    await untilHelperTakesPart(index, helper, queries[0]);
    const removed = new Set<number>();
    for (const round of [0, 1, 2]) {
      for (const query of queries) {
        const oracle = matchesWithin(ids, naiveDistances(words, query), 31, removed);
        expect(index.query(query)).toEqual(oracle);
        expect(index.query(query, { useHelper: false })).toEqual(oracle);
      }
      // removals, then a compaction: a new hash memory that the helper must take before helping again
      for (let k = 0; k < 50; k++) {
        const id = random() % 20_000;
        index.remove(id);
        removed.add(id);
      }
      if (round < 2) {
        index.compact();
        await untilHelperTakesPart(index, helper, queries[0]);
      }
    }
  });

  it('takes only the slots that fit its area when many rows share keys, and the results stay exact', async () => {
    const copies = seededRandom(5);
    const copy = randomHashes(1, copies);
    const count = 20_000;
    const bank = new Uint32Array(count * 8);
    // 12 000 copies of one image moved by a bit or two: each slot's probes find ~12 000 rows, so the helper's
    // 32 768 places hold two slots' candidates, not nine
    for (let row = 0; row < count; row++) bank.set(row < 12_000 ? nearby(copy, 0, 1 + (row % 2), copies) : randomHashes(1, copies), row * 8);
    const bankIds = Uint32Array.from({ length: count }, (_, i) => i);
    const helper = newHelper();
    const index = MatchIndex.build(bankIds, bank, { helper, helperMinRows: 1 });
    await untilHelperTakesPart(index, helper, queries[0]);
    const query = nearby(copy, 0, 4, copies);
    const oracle = matchesWithin(bankIds, naiveDistances(bank, query), 31);
    expect(oracle.length).toBe(12_000);
    expect(index.query(query)).toEqual(oracle);
  });

  it('answers correctly on one thread when the helper has stopped', async () => {
    const helper = newHelper();
    const index = MatchIndex.build(ids, words, { helper, helperMinRows: 1 });
    await untilHelperTakesPart(index, helper, queries[0]);
    await helper.close();
    for (const query of queries.slice(0, 10)) {
      expect(index.query(query)).toEqual(matchesWithin(ids, naiveDistances(words, query), 31));
    }
  });

  it("verifies the helper's share itself when the helper does not answer", () => {
    // a helper that takes every query and then fails, as a thread that died mid-query would
    const failing = { readyFor: () => true, attach: () => undefined, start: () => undefined, supply: () => undefined, finish: () => -1 };
    const index = MatchIndex.build(ids, words, { helper: failing, helperMinRows: 1 });
    for (const query of queries.slice(0, 10)) {
      expect(index.query(query)).toEqual(matchesWithin(ids, naiveDistances(words, query), 31));
    }
  });
});
