import { describe, expect, it } from 'vitest';
import { generateApiKey, keyFromHeaders, keySecretMatches, parseApiKey } from '../src/platform/api-key.ts';
import { signalTypes, type SignalMatch } from '@takedown/core';
import { BankIndex } from '../src/platform/bank-index.ts';
import { ContentIndex } from '../src/platform/content-index.ts';
import { readContentEntry } from '../src/platform/content-entry.ts';
import { DEFAULT_DELIVERY_SCHEDULE, planAfterFailure, retryDelayMs } from '../src/platform/delivery-schedule.ts';
import { formatHashList, parseHashList } from '../src/platform/hash-list.ts';
import { decideVerdict, uploaderReason } from '../src/platform/verdict.ts';
import type { BankHit } from '../src/platform/bank-index.ts';
import { loadConfig } from '../src/config/config.ts';
import { DEFAULT_PLATFORM_CONFIG } from '../src/config/platform-config.ts';
import { signWebhook, verifyWebhookSignature } from '../src/platform/webhook-signature.ts';

const HOUR = 3_600_000;
const hex = (n: number, seed: number) => Array.from({ length: n }, (_, i) => ((seed * 7 + i * 13) % 16).toString(16)).join('');
/** A PDQ hash `bits` bits away from `base` (flips the lowest bits). */
function flip(base: string, bits: number): string {
  const value = BigInt(`0x${base}`) ^ ((1n << BigInt(bits)) - 1n);
  return value.toString(16).padStart(64, '0');
}

describe('webhook signatures', () => {
  const body = JSON.stringify({ id: 'e1', type: 'item.remove' });
  it('verifies what it signs, and refuses a changed body, a wrong secret, or a replay older than 5 minutes', () => {
    const header = signWebhook('s3cret', body, 1_800_000_000);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(header, 's3cret', body, 1_800_000_010)).toEqual({ ok: true, timestamp: 1_800_000_000 });
    expect(verifyWebhookSignature(header, 's3cret', body + ' ', 1_800_000_010)).toMatchObject({ ok: false, code: 'mismatch' });
    expect(verifyWebhookSignature(header, 'other', body, 1_800_000_010)).toMatchObject({ ok: false, code: 'mismatch' });
    expect(verifyWebhookSignature(header, 's3cret', body, 1_800_000_301)).toMatchObject({ ok: false, code: 'expired' });
    expect(verifyWebhookSignature('t=abc', 's3cret', body, 1)).toMatchObject({ ok: false, code: 'malformed' });
    expect(verifyWebhookSignature(undefined, 's3cret', body, 1)).toMatchObject({ ok: false, code: 'missing' });
  });
  it('matches an independent HMAC-SHA256 of t + "." + body', async () => {
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', 'k').update(`42.${body}`).digest('hex');
    expect(signWebhook('k', body, 42)).toBe(`t=42,v1=${expected}`);
  });
});

describe('delivery schedule', () => {
  it('doubles from the base and stops growing at 24 h', () => {
    const s = { baseMs: 30_000, maxMs: 24 * HOUR };
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, s))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(30, s)).toBe(24 * HOUR);
  });
  it('escalates the item before its deadline when deliveries keep failing, once', () => {
    const now = new Date('2026-05-20T00:00:00Z');
    const far = new Date(now.getTime() + 40 * HOUR);
    expect(planAfterFailure({ failures: 1, now, deadline: far, alreadyEscalated: false }, DEFAULT_DELIVERY_SCHEDULE).escalate).toBe(false);
    expect(planAfterFailure({ failures: 6, now, deadline: far, alreadyEscalated: false }, DEFAULT_DELIVERY_SCHEDULE).escalate).toBe(true);
    const near = new Date(now.getTime() + 12 * HOUR);
    const plan = planAfterFailure({ failures: 1, now, deadline: near, alreadyEscalated: false }, DEFAULT_DELIVERY_SCHEDULE);
    expect(plan.escalate).toBe(true);
    expect(plan.retryAt!.getTime()).toBe(now.getTime() + 30_000);
    expect(planAfterFailure({ failures: 9, now, deadline: near, alreadyEscalated: true }, DEFAULT_DELIVERY_SCHEDULE).escalate).toBe(false);
    expect(planAfterFailure({ failures: 25, now, alreadyEscalated: false }, DEFAULT_DELIVERY_SCHEDULE).retryAt).toBeUndefined();
  });
});

describe('API keys', () => {
  it('round-trips and checks the secret against its hash only', () => {
    const key = generateApiKey();
    const parsed = parseApiKey(key.token)!;
    expect(parsed.keyId).toBe(key.keyId);
    expect(keySecretMatches(parsed.secret, key.secretHash)).toBe(true);
    expect(keySecretMatches(parsed.secret.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), key.secretHash)).toBe(false);
    expect(parseApiKey('tdk_short_x')).toBeUndefined();
    expect(keyFromHeaders({ authorization: `Bearer ${key.token}` })).toBe(key.token);
    expect(keyFromHeaders({ 'x-takedown-key': key.token })).toBe(key.token);
  });
});

describe('verdicts', () => {
  const t = signalTypes.defaultThresholds();
  /** A PDQ match as the PDQ index judges it, at `distance` bits, against the default thresholds. */
  const pdqMatch = (distance: number, trustworthy = true, thresholds = t.pdq): SignalMatch => {
    const index = signalTypes.get('pdq')!.createIndex();
    index.add(1, { hash: base, quality: 100 });
    const [found] = index.search({ hash: flip(base, distance), quality: trustworthy ? 90 : 49 }, [thresholds]);
    return found.judge(thresholds)!;
  };
  const base = hex(64, 3);
  const hit = (over: Partial<BankHit>): BankHit => ({ bankId: 'b', bankName: 'confirmed', signal: 'pdq', match: pdqMatch(0), itemId: 'i1', confirmedItem: true, provenance: { kind: 'local', itemId: 'i1' }, hashId: 1, ...over });
  const digest = (block: boolean): SignalMatch => ({ distance: 0, exact: true, withinBlock: block, threshold: 0, trustworthy: true });
  it('blocks exact and near-exact copies of confirmed items only', () => {
    expect(decideVerdict([hit({})]).verdict).toBe('block');
    expect(decideVerdict([hit({ match: pdqMatch(10) })]).verdict).toBe('block');
    expect(decideVerdict([hit({ match: pdqMatch(11) })]).verdict).toBe('review');
    expect(decideVerdict([hit({ match: pdqMatch(31) })]).verdict).toBe('review');
    expect(decideVerdict([hit({ confirmedItem: false, itemId: undefined, bankName: 'partner' })]).verdict).toBe('review');
    expect(decideVerdict([hit({ signal: 'md5', match: digest(true) })]).verdict).toBe('block');
    expect(decideVerdict([hit({ signal: 'sha256', match: digest(false) })]).verdict).toBe('review');
    expect(decideVerdict([]).verdict).toBe('allow');
  });
  it('never blocks on PDQ below quality 50, and says so in the log line', () => {
    const low = decideVerdict([hit({ match: pdqMatch(0, false) })]);
    expect(low.verdict).toBe('review');
    expect(low.explanation).toContain('too uniform');
  });
  it('logs the thresholds it used', () => {
    expect(decideVerdict([hit({ match: pdqMatch(4) })]).explanation).toBe('block in confirmed: pdq 4: near-exact copy of a confirmed item (block threshold 10)');
    const video: SignalMatch = { distance: 31, exact: false, withinBlock: false, threshold: 90, trustworthy: true, detail: { queryMatchPercent: 95, comparedMatchPercent: 92 } };
    expect(decideVerdict([hit({ signal: 'vpdq', match: video })]).explanation).toBe(
      "review in confirmed: vpdq 31: beyond the bank's block threshold (review threshold 90) (vPDQ queryMatchPercent 95, comparedMatchPercent 92)",
    );
  });
  it('never tells the uploader who asked', () => {
    for (const v of ['block', 'review', 'allow'] as const) expect(uploaderReason(v)).not.toMatch(/request(er|ed by)|reported by|case/i);
  });
  it('refuses thresholds that would let a machine act on loose matches', () => {
    const field = (change: Record<string, Record<string, unknown>>) => {
      const merged = signalTypes.mergeThresholds(t, change);
      return merged.ok ? undefined : merged.problems[0];
    };
    expect(signalTypes.mergeThresholds(t).ok).toBe(true);
    expect(field({ pdq: { blockBits: 11 } })?.field).toBe('pdq.blockBits');
    expect(field({ pdq: { reviewBits: 32 } })?.field).toBe('pdq.reviewBits');
    expect(field({ pdq: { reviewBits: 5 } })?.field).toBe('pdq.reviewBits');
    expect(field({ md5: { block: 3 } })?.field).toBe('md5.block');
    expect(field({ vpdq: { queryPercent: 0 } })).toMatchObject({ field: 'vpdq.queryPercent', message: expect.stringContaining('1 to 100') });
    expect(field({ vpdq: { comparedPercent: 101 } })).toMatchObject({ field: 'vpdq.comparedPercent', message: expect.stringContaining('0 to 100') });
    expect(field({ vpdq: { queryPercent: 100, comparedPercent: 100 } })).toBeUndefined();
    expect(field({ tmk: { x: 1 } })?.message).toContain('no signal type "tmk"');
    expect(field({ pdq: { radius: 1 } })?.message).toContain('no setting "radius"');
  });
});

describe('in-memory indexes', () => {
  const base = hex(64, 3);
  const defaults = signalTypes.defaultThresholds();
  it('bank index: adds and removes apply at once and idempotently; disabled banks do not match', () => {
    const index = new BankIndex();
    index.applyBank({ id: 'c', name: 'confirmed', kind: 'confirmed', enabled: true, thresholds: defaults });
    index.applyBank({ id: 'p', name: 'partner', kind: 'imported', enabled: true, thresholds: defaults });
    index.applyHash({ id: 1, bankId: 'c', signal: 'pdq', value: { hash: base }, itemId: 'item-1', removed: false });
    index.applyHash({ id: 1, bankId: 'c', signal: 'pdq', value: { hash: base }, itemId: 'item-1', removed: false });
    index.applyHash({ id: 2, bankId: 'p', signal: 'md5', value: hex(32, 5), itemId: null, removed: false });
    expect(index.size).toBe(2);
    expect(index.lookup({ pdq: { hash: flip(base, 5) } })).toMatchObject([{ bankName: 'confirmed', match: { distance: 5 }, itemId: 'item-1', confirmedItem: true }]);
    expect(index.lookup({ md5: hex(32, 5) })).toMatchObject([{ bankName: 'partner', confirmedItem: false }]);
    index.applyBank({ id: 'p', name: 'partner', kind: 'imported', enabled: false, thresholds: defaults });
    expect(index.lookup({ md5: hex(32, 5) })).toEqual([]);
    index.applyHash({ id: 1, bankId: 'c', signal: 'pdq', value: { hash: base }, itemId: 'item-1', removed: true });
    expect(index.lookup({ pdq: { hash: base } })).toEqual([]);
  });
  it('content index: finds content by any of its dihedral variants and by digests, and follows updates', () => {
    const index = new ContentIndex();
    const variant = hex(64, 9);
    index.apply({ ref: 7, platformId: 'p', contentId: 'c7', url: null, signals: { pdq: { hash: base, quality: 90, variants: [variant] }, sha256: hex(64, 4) }, deleted: false });
    expect(index.search({ pdq: { hash: flip(variant, 3) } })).toMatchObject([{ entry: { contentId: 'c7' }, match: { distance: 3 } }]);
    expect(index.search({ sha256: hex(64, 4) })).toMatchObject([{ signal: 'sha256', match: { distance: 0, exact: true } }]);
    index.apply({ ref: 7, platformId: 'p', contentId: 'c7', url: null, signals: { pdq: { hash: flip(base, 40), quality: 90 } }, deleted: false });
    expect(index.search({ pdq: { hash: base } })).toEqual([]);
    index.apply({ ref: 7, platformId: 'p', contentId: 'c7', url: null, signals: {}, deleted: true });
    expect(index.size).toBe(0);
  });
});

describe('hash lists', () => {
  it('reads hex lines and python-threatexchange CSV, reporting bad lines by number and keeping the good ones', () => {
    const pdq = hex(64, 1);
    const hexReport = parseHashList(`# comment\n${pdq}\n\nnot-a-hash\n${pdq.toUpperCase()}\n`, 'hex');
    expect(hexReport).toMatchObject({ linesRead: 5, hashes: [{ signal: 'pdq', value: { hash: pdq } }], duplicates: 1, rejected: [{ line: 4 }] });
    const header = 'signal_type,signal_str,collab,category,tags';
    const csv = parseHashList(`${header}\r\npdq,${pdq},a,,\r\nvideo_md5,${hex(32, 2)},a,,\r\ntmk,abc,a,,\r\npdq,zz,a,,\r\nurl,https://x.example/a#top,a,,\r\n`, 'dataset-csv');
    expect(csv.hashes).toEqual([{ signal: 'pdq', value: { hash: pdq } }, { signal: 'md5', value: hex(32, 2) }, { signal: 'url', value: 'https://x.example/a' }]);
    expect(csv.rejected.map((r) => r.line)).toEqual([4, 5]);
    expect(csv.rejected[0].reason).toContain('unknown signal type');
    expect(parseHashList(formatHashList(csv.hashes, 'threatexchange-csv').text, 'threatexchange-csv').hashes).toEqual(csv.hashes);
    expect(formatHashList(csv.hashes, 'threatexchange-csv').text).toContain(`video_md5,${hex(32, 2)},,,`);
    expect(formatHashList(csv.hashes, 'hex')).toEqual({ text: `${pdq}\n`, leftOut: { md5: 1, url: 1 } });
  });
  it('reads file-exchange lines and StopNCII records, whose withdrawn cases are removals', () => {
    const pdq = hex(64, 1);
    const md5 = hex(32, 2);
    expect(parseHashList(`pdq ${pdq}\nvideo_md5 ${md5}\n`, 'threatexchange').hashes).toEqual([{ signal: 'pdq', value: { hash: pdq } }, { signal: 'md5', value: md5 }]);
    const page = { hashRecords: [{ signalType: 'ImagePDQ', hashValue: pdq, hashStatus: 'Active' }, { signalType: 'VideoMD5', hashValue: md5, hashStatus: 'Withdrawn' }] };
    const records = parseHashList(JSON.stringify(page), 'stopncii');
    expect(records.hashes).toEqual([{ signal: 'pdq', value: { hash: pdq } }]);
    expect(records.removals).toEqual([{ signal: 'md5', value: md5 }]);
  });
  it('carries vPDQ as python-threatexchange writes it: a JSON list of "hash,quality,timestamp"', () => {
    const frames = [{ index: 0, timestamp: 0, hash: hex(64, 1), quality: 100 }, { index: 1, timestamp: 1.5, hash: hex(64, 2), quality: 90 }];
    const { text } = formatHashList([{ signal: 'vpdq', value: frames }], 'threatexchange');
    expect(text).toBe(`vpdq ["${hex(64, 1)},100,0","${hex(64, 2)},90,1.5"]\n`);
    expect(parseHashList(text, 'threatexchange').hashes).toEqual([{ signal: 'vpdq', value: frames }]);
    expect(formatHashList([{ signal: 'vpdq', value: frames }], 'stopncii').leftOut).toEqual({ vpdq: 1 });
  });
  it('content entries: every problem by field, hashes lowercased', () => {
    const ok = readContentEntry({ contentId: 'a1', url: 'https://p.example/a1', pdq: hex(64, 1).toUpperCase(), pdqQuality: 80 });
    expect(ok.entry?.signals.pdq).toEqual({ hash: hex(64, 1), quality: 80 });
    expect(ok.entry?.signals.url).toBe('https://p.example/a1');
    const bad = readContentEntry({ contentId: '', pdq: 'x', surprise: 1, url: 'javascript:alert(1)' });
    expect(bad.problems.map((p) => p.field).sort()).toEqual(['contentId', 'pdq', 'surprise', 'url']);
    expect(readContentEntry({ contentId: 'a' }).problems[0].message).toContain('at least one hash');
    expect(readContentEntry({ contentId: 'a', url: 'https://p.example/a' }).problems[0].message).toContain('at least one hash');
  });
});

describe('platform settings', () => {
  it('come from TAKEDOWN_* variables over the defaults, and a bad value says which variable and what it takes', () => {
    expect(loadConfig({}).platform).toEqual(DEFAULT_PLATFORM_CONFIG);
    expect(loadConfig({ TAKEDOWN_MATCH_HELPER_THREAD: '0', TAKEDOWN_KEY_CACHE_MS: '5000' }).platform).toMatchObject({ matchHelperThread: false, keyCacheMs: 5000 });
    expect(loadConfig({ TAKEDOWN_MATCH_HELPER_THREAD: 'true' }).platform.matchHelperThread).toBe(true);
    expect(loadConfig({ TAKEDOWN_MATCH_SHARD_ABOVE: '0', TAKEDOWN_MATCH_SHARD_ROWS: '1000000' }).platform.matchShards).toEqual({ aboveHashes: 0, shardRows: 1_000_000 });
    expect(() => loadConfig({ TAKEDOWN_MATCH_HELPER_THREAD: 'yes' })).toThrow('TAKEDOWN_MATCH_HELPER_THREAD must be 1 or 0 (true or false); got "yes".');
    expect(() => loadConfig({ TAKEDOWN_INDEX_SYNC_MS: '-1' })).toThrow('TAKEDOWN_INDEX_SYNC_MS must be a whole number');
  });
});
