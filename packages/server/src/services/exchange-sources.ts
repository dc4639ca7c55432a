import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Clock, FeedTrust } from '@takedown/core';
import type { Keys } from '../crypto/keys.ts';
import type { StopNciiKeys } from '../net/stopncii-api.ts';
import { decryptJson, encryptJson } from '../crypto/pii.ts';
import { appendAudit } from '../store/audit-chain.ts';
import { claimPendingFeedback, releaseFeedbackClaims, type PendingFeedback } from '../store/exchange-follow.ts';
import type { OpenDatabase } from '../store/database.ts';
import { PlatformInputError } from './platform-accounts.ts';
import { FEED_BANK_PREFIX } from './platform-banks.ts';

const SOURCE_NAME = /^[a-z0-9][a-z0-9._-]{0,40}$/;

/** What a source is: another takedown deployment (signed feed) or StopNCII.org (FetchHashes). */
export type SourceKind = 'takedown' | 'stopncii';

export type NewSource =
  | { kind?: 'takedown'; name: string; url: string; apiKey: string; publicKey: string; feedId: string; trust: FeedTrust }
  | { kind: 'stopncii'; name: string; url: string; stopNcii: StopNciiKeys; trust: FeedTrust };

/** A followed source as its follower loop needs it (the key readable). */
export interface FollowedSource {
  id: string;
  kind: SourceKind;
  name: string;
  url: string;
  /** The takedown source's API key ('' for StopNCII). */
  apiKey: string;
  /** StopNCII's keys (kind stopncii only). */
  stopNcii?: StopNciiKeys;
  publicKey: string;
  feedId: string;
  bankId: string;
  trust: FeedTrust;
  cursor: number;
}

export interface SourceStatus {
  name: string;
  kind: SourceKind;
  url: string;
  feed: string;
  trust: FeedTrust;
  bank: string;
  cursor: number;
  hashes: number;
  applied: number;
  rejected: number;
  failures: number;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastSuccessAt: Date | null;
  feedbackPending: number;
  feedbackSent: number;
  followedAt: Date;
}

/** The base URL of a deployment to follow: http or https, no credentials, query or fragment. */
export function sourceUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) return undefined;
  return url.toString().replace(/\/+$/, '');
}

/** Starts following a source: its bank (trust as given), its sealed key, cursor 0; audited. */
export async function followSource(database: OpenDatabase, keys: Keys, clock: Clock, source: NewSource, actor: string): Promise<void> {
  if (!SOURCE_NAME.test(source.name)) throw new PlatformInputError('name', 'A source name is 1–41 lowercase letters, digits, dots, dashes or underscores.');
  const now = clock.now();
  // StopNCII signs nothing: its "feed id" names the API it is fetched from, so it is followed once.
  const feedId = source.kind === 'stopncii' ? `stopncii:${source.url}` : source.feedId;
  await database.transaction(async (tx) => {
    const taken = await tx.selectFrom('exchange_sources').select('unfollowed_at').where('name', '=', source.name).executeTakeFirst();
    if (taken) throw new PlatformInputError('name', `A source named "${source.name}" was ${taken.unfollowed_at ? 'followed before' : 'already followed'}; choose another name.`);
    const sameFeed = await tx.selectFrom('exchange_sources').select('name').where('feed_id', '=', feedId).where('unfollowed_at', 'is', null).executeTakeFirst();
    if (sameFeed) throw new PlatformInputError('url', `This feed is already followed as "${sameFeed.name}".`);
    const bankName = `${FEED_BANK_PREFIX}${source.name}`;
    if (await tx.selectFrom('banks').select('id').where('name', '=', bankName).executeTakeFirst()) throw new PlatformInputError('name', `A bank named "${bankName}" exists already; choose another source name.`);
    const bankId = randomUUID();
    await tx.insertInto('banks').values({ id: bankId, name: bankName, description: `Hashes followed from ${source.url}`, kind: 'imported', follow_trust: source.trust, created_at: now, updated_at: now }).execute();
    const id = randomUUID();
    await tx
      .insertInto('exchange_sources')
      .values(
        source.kind === 'stopncii'
          ? { id, kind: 'stopncii', name: source.name, url: source.url, api_key: encryptJson(keys.pii, source.stopNcii, id), public_key: '', feed_id: feedId, bank_id: bankId, created_at: now }
          : { id, name: source.name, url: source.url, api_key: encryptJson(keys.pii, source.apiKey, id), public_key: source.publicKey, feed_id: feedId, bank_id: bankId, created_at: now },
      )
      .execute();
    await appendAudit(tx, now, [{ actor, action: 'exchange.followed', data: { source: source.name, kind: source.kind ?? 'takedown', url: source.url, feed: feedId, trust: source.trust, bank: bankName } }]);
  });
}

/** Stops following: the source's hashes leave its bank at once, the bank is disabled, the source kept for the record. */
export async function unfollowSource(database: OpenDatabase, clock: Clock, name: string, actor: string): Promise<number> {
  const now = clock.now();
  return database.transaction(async (tx) => {
    const source = await tx.selectFrom('exchange_sources').select(['id', 'bank_id']).where('name', '=', name).where('unfollowed_at', 'is', null).executeTakeFirst();
    if (!source) throw new PlatformInputError('name', `No followed source is named "${name}" (see takedown exchange list).`);
    await tx.updateTable('exchange_sources').set({ unfollowed_at: now }).where('id', '=', source.id).execute();
    const removed = await sql`update bank_hashes set removed_at = ${now}::timestamptz, change_xid = pg_current_xact_id() where bank_id = ${source.bank_id}::uuid and removed_at is null`.execute(tx);
    await sql`update banks set enabled = false, updated_at = ${now}::timestamptz, change_xid = pg_current_xact_id() where id = ${source.bank_id}::uuid`.execute(tx);
    await tx.deleteFrom('exchange_feedback_outbox').where('source_id', '=', source.id).where('sent_at', 'is', null).execute();
    const count = Number(removed.numAffectedRows ?? 0);
    await appendAudit(tx, now, [{ actor, action: 'exchange.unfollowed', data: { source: name, hashesRemoved: count } }]);
    return count;
  });
}

/** The sources followed now, with their keys, for the follower loop. */
export async function followedSources(database: OpenDatabase, keys: Keys): Promise<FollowedSource[]> {
  const rows = await database.transaction((tx) =>
    tx
      .selectFrom('exchange_sources')
      .innerJoin('banks', 'banks.id', 'exchange_sources.bank_id')
      .select(['exchange_sources.id', 'exchange_sources.kind', 'exchange_sources.name', 'url', 'api_key', 'public_key', 'feed_id', 'bank_id', 'cursor', 'banks.follow_trust'])
      .where('unfollowed_at', 'is', null)
      .orderBy('exchange_sources.name')
      .execute(),
  );
  return rows.map((r) => {
    const sealed = decryptJson<string | StopNciiKeys>(keys.pii, r.api_key, r.id);
    return {
      id: r.id,
      kind: r.kind,
      name: r.name,
      url: r.url,
      apiKey: typeof sealed === 'string' ? sealed : '',
      ...(typeof sealed === 'string' ? {} : { stopNcii: sealed }),
      publicKey: r.public_key,
      feedId: r.feed_id,
      bankId: r.bank_id,
      trust: r.follow_trust ?? 'review',
      cursor: Number(r.cursor),
    };
  });
}

/** Every source followed now (or, with `all`, ever), with counts and the last error. */
export async function listSources(database: OpenDatabase, options: { all?: boolean } = {}): Promise<SourceStatus[]> {
  return database.transaction(async (tx) => {
    let query = tx.selectFrom('exchange_sources').innerJoin('banks', 'banks.id', 'exchange_sources.bank_id').selectAll('exchange_sources').select(['banks.name as bank', 'banks.follow_trust']);
    if (!options.all) query = query.where('unfollowed_at', 'is', null);
    const rows = await query.orderBy('exchange_sources.name').execute();
    const hashes = await sql<{ bank_id: string; n: string | number }>`select bank_id, count(*) as n from bank_hashes where removed_at is null and bank_id in (select bank_id from exchange_sources) group by bank_id`.execute(tx);
    const feedback = await sql<{ source_id: string; pending: string | number; sent: string | number }>`
      select source_id, count(*) filter (where sent_at is null) as pending, count(*) filter (where sent_at is not null) as sent from exchange_feedback_outbox group by source_id`.execute(tx);
    return rows.map((r) => {
      const f = feedback.rows.find((x) => x.source_id === r.id);
      return {
        name: r.name,
        kind: r.kind,
        url: r.url,
        feed: r.feed_id,
        trust: r.follow_trust ?? 'review',
        bank: r.bank,
        cursor: Number(r.cursor),
        hashes: Number(hashes.rows.find((h) => h.bank_id === r.bank_id)?.n ?? 0),
        applied: Number(r.applied),
        rejected: Number(r.rejected),
        failures: r.failures,
        lastError: r.last_error,
        lastErrorAt: r.last_error_at,
        lastSuccessAt: r.last_success_at,
        feedbackPending: Number(f?.pending ?? 0),
        feedbackSent: Number(f?.sent ?? 0),
        followedAt: r.created_at,
      };
    });
  });
}

/** A fetch or apply that failed: counted and kept (without the page), so `exchange status` says why. */
export async function recordSourceFailure(database: OpenDatabase, clock: Clock, sourceId: string, message: string): Promise<void> {
  const now = clock.now();
  await database.transaction((tx) =>
    sql`update exchange_sources set failures = failures + 1, last_error = ${message.slice(0, 500)}, last_error_at = ${now}::timestamptz where id = ${sourceId}::uuid`.execute(tx),
  );
}

/**
 * Verdicts waiting to be sent to a source, oldest first, claimed for this sender for `leaseMs` (no other
 * sender takes them meanwhile; `releaseFeedback` lets them go sooner), with the hash they are about
 * (StopNCII's feedback names the hash, not an id). `hash` is null when the source's bank no longer holds the
 * entry live (the source withdrew it meanwhile): StopNCII is then told nothing about a hash its owner took back.
 */
export async function claimFeedback(database: OpenDatabase, clock: Clock, sourceId: string, limit: number, leaseMs: number): Promise<ClaimedFeedback> {
  const now = clock.now();
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const rows = await database.transaction((tx) => claimPendingFeedback(tx, now, sourceId, limit, leaseUntil));
  return { leaseUntil, verdicts: rows.map((r) => ({ id: String(r.id), entryId: r.entry_id, hash: r.hash ?? null, verdict: r.verdict })) };
}

/** Verdicts claimed together, and the end of their lease. */
export interface ClaimedFeedback {
  leaseUntil: Date;
  verdicts: PendingFeedback[];
}

/** Lets claimed verdicts go (their send failed), for the next try of any sender. */
export async function releaseFeedback(database: OpenDatabase, claimed: ClaimedFeedback): Promise<void> {
  await database.transaction((tx) => releaseFeedbackClaims(tx, claimed.verdicts.map((v) => v.id), claimed.leaseUntil));
}

export async function markFeedbackSent(database: OpenDatabase, clock: Clock, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const now = clock.now();
  await database.transaction((tx) => tx.updateTable('exchange_feedback_outbox').set({ sent_at: now }).where('id', 'in', ids).execute());
}
