import { randomBytes, randomUUID } from 'node:crypto';
import { missingElements, validateRemovalRequest, type Clock, type FieldError, type JurisdictionConfig, type LawElementInfo } from '@takedown/core';
import { hmacHex, type Keys } from '../crypto/keys.ts';
import { decryptJson, encryptJson } from '../crypto/pii.ts';
import type { OpenDatabase, Tx } from '../store/database.ts';
import { submitRequest, type SubmittedCase } from './intake.ts';

/**
 * Drafts of incomplete removal requests. A request that lacks one of §3(a)(1)(B)'s elements is not valid, so no
 * clock starts; rather than make the person start over, what they filled in is kept encrypted under a token of
 * its own (shown once, stored only as a keyed hash) until they complete it or the draft expires. The retention
 * job deletes expired drafts; nothing of a draft is logged or written to the audit chain (it is not a request).
 */
export interface DraftContext {
  database: OpenDatabase;
  keys: Keys;
  clock: Clock;
  /** How long a draft is kept (config.draftTtlMs). */
  ttlMs: number;
  /** The deployment's jurisdiction profiles (config.jurisdictions); unset: the built-in ones. */
  jurisdictions?: JurisdictionConfig;
}

/** What a draft's holder learns about it: what is still missing, in the law's words and field by field. */
export interface DraftState {
  expiresAt: Date;
  /** True when the draft is a valid request: submitting it starts the clock. */
  complete: boolean;
  /** The §3(a)(1)(B) elements still missing or unusable. */
  missing: LawElementInfo[];
  /** Every problem by field, as POST /v1/requests would name them. */
  fields: FieldError[];
}

export type DraftResult<T> = { kind: 'ok'; value: T } | { kind: 'not_found' } | { kind: 'invalid'; state: DraftState };

/** 32 random bytes: too many to guess, so a draft needs no guess counter. */
function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function tokenHash(keys: Keys, token: string): string {
  return hmacHex(keys.pin, 'draft', token);
}

function stateOf(content: unknown, clock: Clock, expiresAt: Date, jurisdictions?: JurisdictionConfig): DraftState {
  const validation = validateRemovalRequest(content, { clock, jurisdictions });
  const fields = validation.ok ? [] : validation.errors;
  return { expiresAt, complete: validation.ok, missing: missingElements(fields), fields };
}

async function findDraft(tx: Tx, keys: Keys, token: string, now: Date, lock = false) {
  let query = tx.selectFrom('request_drafts').selectAll().where('token_hash', '=', tokenHash(keys, token)).where('expires_at', '>', now);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Keeps an incomplete request; returns its token (shown once) and what is still missing. */
export async function saveDraft(ctx: DraftContext, content: Record<string, unknown>): Promise<DraftState & { token: string }> {
  const now = ctx.clock.now();
  const id = randomUUID();
  const token = newToken();
  const expiresAt = new Date(now.getTime() + ctx.ttlMs);
  await ctx.database.transaction(async (tx) => {
    await tx
      .insertInto('request_drafts')
      .values({ id, token_hash: tokenHash(ctx.keys, token), content: encryptJson(ctx.keys.pii, content, `draft:${id}`), created_at: now, updated_at: now, expires_at: expiresAt })
      .execute();
  });
  return { token, ...stateOf(content, ctx.clock, expiresAt, ctx.jurisdictions) };
}

/** What a draft holds, so a form can resume it. */
export async function readDraft(ctx: DraftContext, token: string): Promise<DraftResult<DraftState & { content: Record<string, unknown> }>> {
  const now = ctx.clock.now();
  return ctx.database.transaction(async (tx) => {
    const row = await findDraft(tx, ctx.keys, token, now);
    if (!row) return { kind: 'not_found' };
    const content = decryptJson<Record<string, unknown>>(ctx.keys.pii, row.content, `draft:${row.id}`);
    return { kind: 'ok', value: { content, ...stateOf(content, ctx.clock, row.expires_at, ctx.jurisdictions) } };
  });
}

/** Replaces what a draft holds (its expiry stays: a draft is short-lived however often it is saved). */
export async function updateDraft(ctx: DraftContext, token: string, content: Record<string, unknown>): Promise<DraftResult<DraftState>> {
  const now = ctx.clock.now();
  return ctx.database.transaction(async (tx) => {
    const row = await findDraft(tx, ctx.keys, token, now, true);
    if (!row) return { kind: 'not_found' };
    await tx.updateTable('request_drafts').set({ content: encryptJson(ctx.keys.pii, content, `draft:${row.id}`), updated_at: now }).where('id', '=', row.id).execute();
    return { kind: 'ok', value: stateOf(content, ctx.clock, row.expires_at, ctx.jurisdictions) };
  });
}

/**
 * Makes the draft a request: `content`, when not empty, replaces what the draft held (`{}` sends it as saved;
 * a whole form is sent, so an answer taken back is gone too). Valid:
 * the case is recorded, its clock starts now, and the draft is deleted in the same transaction. Still
 * incomplete: the draft keeps the new content and the answer names what is missing.
 */
export async function submitDraft(ctx: DraftContext, token: string, content: Record<string, unknown>): Promise<DraftResult<SubmittedCase>> {
  const now = ctx.clock.now();
  const found = await ctx.database.transaction(async (tx) => {
    const row = await findDraft(tx, ctx.keys, token, now, true);
    if (!row) return undefined;
    const replaced = Object.keys(content).length > 0;
    const current = replaced ? content : decryptJson<Record<string, unknown>>(ctx.keys.pii, row.content, `draft:${row.id}`);
    if (replaced) await tx.updateTable('request_drafts').set({ content: encryptJson(ctx.keys.pii, current, `draft:${row.id}`), updated_at: now }).where('id', '=', row.id).execute();
    return { id: row.id, expiresAt: row.expires_at, content: current };
  });
  if (!found) return { kind: 'not_found' };
  const validation = validateRemovalRequest(found.content, { clock: ctx.clock, jurisdictions: ctx.jurisdictions });
  if (!validation.ok) return { kind: 'invalid', state: stateOf(found.content, ctx.clock, found.expiresAt, ctx.jurisdictions) };
  const submitted = await submitRequest(ctx.database, ctx.keys, ctx.clock, validation.request, {
    jurisdictions: ctx.jurisdictions,
    also: async (tx) => {
      // Deleted only if still there: the same draft submitted twice at once makes one case, not two.
      const gone = await tx.deleteFrom('request_drafts').where('id', '=', found.id).executeTakeFirst();
      if (Number(gone.numDeletedRows) !== 1) throw new DraftGone();
    },
  }).catch((error: unknown) => {
    if (error instanceof DraftGone) return undefined;
    throw error;
  });
  return submitted ? { kind: 'ok', value: submitted } : { kind: 'not_found' };
}

class DraftGone extends Error {}

/** Deletes drafts past their expiry (run by the retention job). */
export async function deleteExpiredDrafts(tx: Tx, now: Date): Promise<number> {
  const result = await tx.deleteFrom('request_drafts').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
