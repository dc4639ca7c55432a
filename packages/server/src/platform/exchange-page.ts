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

/** The header that carries the page's signature: Ed25519 over `signedBytes(body)`, base64url. */
export const SIGNATURE_HEADER = 'takedown-feed-signature';

export const PAGE_FORMAT = 'takedown-exchange-page/1';

/**
 * The page as its body is sent: canonical JSON (keys sorted, no whitespace), written field by field so that
 * JSON.stringify keeps that order; one pass, however many entries.
 */
export function pageText(page: FeedPage): string {
  return JSON.stringify({
    after: page.after,
    entries: page.entries.map((e) => ({ changedAt: e.changedAt, hash: e.hash, id: e.id, seq: e.seq, signal: e.signal, status: e.status, value: e.value })),
    feed: page.feed,
    format: page.format,
    head: page.head,
    nonce: page.nonce,
    through: page.through,
  });
}

/** The bytes signed: a fixed label, then the body exactly as sent. */
export function signedBytes(body: string): Buffer {
  return Buffer.from(`${PAGE_FORMAT}\n${body}`);
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
 * Checks a page a source answered, before anything of it is applied: the signature over the body exactly as
 * received (with the source's pinned key), its shape, that it is a page of the followed feed, that it
 * answers this very request (cursor and nonce: an old page served again is refused) and that its entries
 * lie in order within its range.
 */
export function checkPage(body: string, signature: string | undefined, expected: { feedId: string; after: number; nonce: string }, verify: (bytes: Buffer, signature: string) => boolean): PageCheck {
  if (!signature) return { ok: false, reason: `the answer has no ${SIGNATURE_HEADER} header` };
  if (!verify(signedBytes(body), signature)) return { ok: false, reason: "the signature does not verify with the source's public key (the page was altered, or signed by someone else)" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'the page is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null) return { ok: false, reason: 'the answer is not a page' };
  const p = parsed as Record<string, unknown>;
  if (p.format !== PAGE_FORMAT) return { ok: false, reason: `the page is not in the ${PAGE_FORMAT} format` };
  if (!Array.isArray(p.entries) || !p.entries.every(isEntry)) return { ok: false, reason: 'the page holds an entry of an unknown shape' };
  if (typeof p.feed !== 'string' || typeof p.nonce !== 'string' || ![p.after, p.through, p.head].every(Number.isSafeInteger)) {
    return { ok: false, reason: 'the page is missing its feed, cursor or nonce' };
  }
  const page = parsed as FeedPage;
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
