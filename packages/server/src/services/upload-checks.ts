import { minorFlag, type Clock } from '@takedown/core';
import { appendAudit } from '../store/audit-chain.ts';
import type { OpenDatabase, Tx } from '../store/database.ts';
import { hostingPlatforms } from '../store/item-hosting.ts';
import { activePlatformIds, queuePlatformEvents } from '../store/platform-events.ts';
import type { CheckMatch } from '../platform/verdict.ts';

/** A check that did not simply allow the upload, as the platform was answered. */
export interface FlaggedCheck {
  checkId: string;
  contentId?: string;
  verdict: 'block' | 'review';
  explanation: string;
  matches: CheckMatch[];
  /** What the uploader is told (never who asked). */
  uploaderReason: string;
}

/**
 * The matches as the checking platform may see them: an item id only for items it hosts. Another platform's
 * item stays unnamed (its id would let this platform follow someone else's case); the verdict stands.
 */
async function ownItemsOnly(tx: Tx, platformId: string, matches: CheckMatch[]): Promise<CheckMatch[]> {
  const itemIds = [...new Set(matches.flatMap((m) => (m.itemId ? [m.itemId] : [])))];
  if (itemIds.length === 0) return matches;
  const items = await tx.selectFrom('items').select(['id', 'url']).where('id', 'in', itemIds).execute();
  const hosting = await hostingPlatforms(tx, items);
  return matches.map((match) => {
    if (!match.itemId || hosting.get(match.itemId)?.has(platformId)) return match;
    const { itemId: _hidden, ...rest } = match;
    return rest;
  });
}

/**
 * Records what a check decided, in one transaction, and returns the matches the platform is answered with
 * (item ids only for its own items): a block is a decision like any other (TAKE IT DOWN Act §3(a)(4): good-faith removal), kept in the audit log with
 * its reason and the item it matched; a review goes to the platform's moderation queue as a check.review event
 * when it has a webhook (the verdict itself is in the answer).
 */
export async function recordFlaggedCheck(database: OpenDatabase, clock: Clock, platform: { platformId: string; keyId: string }, check: FlaggedCheck): Promise<CheckMatch[]> {
  const now = clock.now();
  return database.transaction(async (tx) => {
    const shown = await ownItemsOnly(tx, platform.platformId, check.matches);
    if (check.verdict === 'review') {
      if ((await activePlatformIds(tx)).includes(platform.platformId)) {
        const minor = await minorMatched(tx, check.matches);
        const data = { checkId: check.checkId, contentId: check.contentId ?? null, matches: shown.map(eventMatch), uploaderReason: check.uploaderReason, ...(minor && { minor }) };
        await queuePlatformEvents(tx, now, [{ platformId: platform.platformId, type: 'check.review', data }]);
      }
    } else {
      const data = { checkId: check.checkId, matches: check.matches.map(eventMatch) };
      await appendAudit(tx, now, [{ actor: `platform:${platform.keyId}`, action: 'upload.blocked', itemId: check.matches[0]?.itemId ?? null, reason: check.explanation, data }]);
    }
    return shown;
  });
}

/**
 * The reporting duty, when a matched item's requester said the person shown was under 18 when it was made: the
 * upload may be child sexual abuse material, which the platform must report (18 U.S.C. § 2258A).
 */
async function minorMatched(tx: Tx, matches: CheckMatch[]) {
  const itemIds = [...new Set(matches.flatMap((m) => (m.itemId ? [m.itemId] : [])))];
  if (itemIds.length === 0) return undefined;
  const found = await tx
    .selectFrom('items')
    .innerJoin('cases', 'cases.id', 'items.case_id')
    .select('items.id')
    .where('items.id', 'in', itemIds)
    .where('cases.under_18_when_made', '=', true)
    .executeTakeFirst();
  return minorFlag(found !== undefined);
}

/** A match as events and the audit log carry it: flat, with the rule's action and threshold. */
function eventMatch(m: CheckMatch): Record<string, unknown> {
  return { bank: m.bank, itemId: m.itemId, distance: m.distance, signal: m.signal, action: m.action, threshold: m.threshold, ...m.detail };
}
