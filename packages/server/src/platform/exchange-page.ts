import { canonicalJson } from '@takedown/core';

/**
 * One page of a deployment's exchange feed (docs/exchange.md). What it carries is limited to what may cross:
 * hashes, their signal types, times, status and an opaque id. No item, case, person, URL or media.
 */
export interface FeedEntry {
  /** The entry's place in the feed; a later change of the same hash comes back with a higher seq. */
  seq: number;
  /** Opaque id of the hash at the source; feedback names it. */
  id: string;
  /** Signal type, as this project names it (pdq, md5, sha256, vpdq, …). */
  signal: string;
  /** The signal type's key of the value (the hash itself for most types). */
  hash: string;
  /** The type's fields as JSON text, when the key does not carry the whole value (PDQ quality, vPDQ frames). */
  value: string | null;
  status: 'active' | 'withdrawn';
  changedAt: string;
}

export interface FeedPage {
  format: 'takedown-exchange-page/1';
  /** The publishing deployment's feed id (a digest of its public key). */
  feed: string;
  /** The cursor the follower asked from; entries all have seq > after. */
  after: number;
  /** Where the next page starts: the last entry's seq (or `after` when there is none). */
  through: number;
  /** The newest seq at the source when the page was read: more to fetch while through < head. */
  head: number;
  /** The follower's random value for this request: a page answered to another request does not verify. */
  nonce: string;
  entries: FeedEntry[];
}

export interface SignedFeedPage {
  page: FeedPage;
  /** Ed25519 over `pageBytes(page)`, base64url. */
  signature: string;
}

export const PAGE_FORMAT = 'takedown-exchange-page/1';

/** The bytes signed: a fixed label, then the page as canonical JSON (sorted keys, no whitespace). */
export function pageBytes(page: FeedPage): Buffer {
  return Buffer.from(`${PAGE_FORMAT}\n${canonicalJson(page)}`);
}

export type PageCheck = { ok: true; page: FeedPage } | { ok: false; reason: string };

const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
export function isNonce(value: string): boolean {
  return NONCE.test(value);
}

function isEntry(value: unknown): value is FeedEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    Object.keys(e).length === 7 &&
    Number.isSafeInteger(e.seq) &&
    typeof e.id === 'string' &&
    typeof e.signal === 'string' &&
    typeof e.hash === 'string' &&
    (e.value === null || typeof e.value === 'string') &&
    (e.status === 'active' || e.status === 'withdrawn') &&
    typeof e.changedAt === 'string'
  );
}

/**
 * Checks a page a source answered, before anything of it is applied: its shape, the signature with the
 * source's pinned key, that it is a page of the followed feed, that it answers this very request (cursor and
 * nonce: an old page served again is refused) and that its entries lie in order within its range.
 */
export function checkPage(body: unknown, expected: { feedId: string; after: number; nonce: string }, verify: (bytes: Buffer, signature: string) => boolean): PageCheck {
  if (typeof body !== 'object' || body === null) return { ok: false, reason: 'the answer is not a signed page' };
  const { page, signature } = body as Partial<SignedFeedPage>;
  if (typeof signature !== 'string' || typeof page !== 'object' || page === null) return { ok: false, reason: 'the answer is not a signed page' };
  const p = page as unknown as Record<string, unknown>;
  if (p.format !== PAGE_FORMAT) return { ok: false, reason: `the page is not in the ${PAGE_FORMAT} format` };
  if (!Array.isArray(p.entries) || !p.entries.every(isEntry)) return { ok: false, reason: 'the page holds an entry of an unknown shape' };
  if (typeof p.feed !== 'string' || typeof p.nonce !== 'string' || ![p.after, p.through, p.head].every(Number.isSafeInteger) || Object.keys(p).length !== 7) {
    return { ok: false, reason: 'the page is missing its feed, cursor or nonce' };
  }
  let bytes: Buffer;
  try {
    bytes = pageBytes(page);
  } catch {
    return { ok: false, reason: 'the page holds values JSON cannot carry' };
  }
  if (!verify(bytes, signature)) return { ok: false, reason: "the signature does not verify with the source's public key (the page was altered, or signed by someone else)" };
  if (page.feed !== expected.feedId) return { ok: false, reason: `the page belongs to feed ${page.feed}, not to the followed feed ${expected.feedId}` };
  if (page.after !== expected.after || page.nonce !== expected.nonce) return { ok: false, reason: 'the page answers another request (an old page served again)' };
  let previous = page.after;
  for (const entry of page.entries) {
    if (entry.seq <= previous) return { ok: false, reason: 'the page’s entries are out of order' };
    previous = entry.seq;
  }
  if (page.through !== previous || page.head < page.through) return { ok: false, reason: 'the page’s range does not match its entries' };
  return { ok: true, page };
}
