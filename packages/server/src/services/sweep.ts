import { randomUUID } from 'node:crypto';
import { decideAction, minorFlag, signalTypes, urlSignal, type SignalValues } from '@takedown/core';
import { appendAudit, type AuditEntry } from '../store/audit-chain.ts';
import type { BankIndex } from '../platform/bank-index.ts';
import type { ContentHit, ContentIndex } from '../platform/content-index.ts';
import { uploaderReason } from '../platform/verdict.ts';
import type { Tx } from '../store/database.ts';
import { bankConfirmedItem } from './platform-banks.ts';
import { hostingPlatforms } from '../store/item-hosting.ts';
import { queuePlatformEvents, type PlatformEventInput } from '../store/platform-events.ts';
import { applyToRow } from '../store/transitions.ts';
import type { ItemRow } from '../store/rows.ts';
import { PLATFORM_NOTIFY_JOB } from './review.ts';
import { statementPath } from './statement-of-reasons.ts';
import type { JobHandler } from '../store/job-queue.ts';

export { PLATFORM_NOTIFY_JOB };

export interface SweepOptions {
  banks: BankIndex;
  content: ContentIndex;
  /** Called after the job's transaction is queued, so this process's indexes pick up the new bank hashes. */
  afterChange?: () => void;
}

/** An item's signals without its address: items keep the reported URL in a column of their own. */
function withoutAddress(signals: SignalValues): SignalValues {
  return Object.fromEntries(Object.entries(signals).filter(([name]) => signalTypes.get(name)?.media !== 'url'));
}

function removalData(item: { id: string; url: string | null; deadline_at: Date }, signals: SignalValues, contentIds: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const hashes: Record<string, string> = {};
  for (const [name, value] of Object.entries(signals)) {
    const type = signalTypes.get(name);
    // A video's frame list can run to megabytes: the platform finds a video by its digests and content ids.
    if (type && type.media !== 'url' && type.media !== 'video') hashes[name] = type.formatText(value);
  }
  // What the platform needs to act and to tell the uploader (DSA Art. 17: the full statement is at
  // statementOfReasons, with the uploader's appeal route): never who asked.
  return { itemId: item.id, url: item.url, hashes, contentIds, deadline: item.deadline_at.toISOString(), uploaderReason: uploaderReason('block'), statementOfReasons: statementPath(item.id), ...extra };
}

/** The hosted original itself rather than a copy: identical bytes, or the very address that was reported. */
function isOriginal(hit: ContentHit): boolean {
  const media = signalTypes.get(hit.signal)?.media;
  return hit.match.exact && (media === 'file' || media === 'url');
}

/** Why a confirmed item no platform hosts waits for a person (shown to reviewers; names no address). */
export const UNHOSTED_REASON =
  'No connected platform hosts this content (no content index holds it, and no platform declares the host of its address): no platform was told to remove it, and none can stop the clock. Take it to the site directly, then record its removal.';

/**
 * A confirmed item that no platform hosts is told to nobody: it goes to the senior queue with the reason, so
 * a person takes it to the site before the deadline (unless a person already escalated it).
 */
async function escalateUnhosted(tx: Tx, now: Date, item: ItemRow, audit: AuditEntry[]): Promise<void> {
  const next = applyToRow(item, { type: 'escalate', actor: { kind: 'system' }, reason: UNHOSTED_REASON }, now, 'system');
  if (!next.ok) return;
  await tx.updateTable('items').set({ escalated_at: next.update.escalated_at, escalation_reason: next.update.escalation_reason }).where('id', '=', item.id).execute();
  audit.push({ actor: 'system', action: next.auditType, caseId: item.case_id, itemId: item.id, reason: UNHOSTED_REASON, data: { platformsTold: 0 } });
}

/**
 * On confirmation of an item (job `platform.notify` written by the reviewer's decision): file its signals in
 * the confirmed bank (future uploads are checked against it), tell the platform to remove it, and sweep the
 * platform's content index for known copies (§3(a)(3)(B)). The hosted original (identical bytes or the
 * reported address) is linked to the item. Copies become new items of the same case with the same deadline:
 * confirmed without a person only where core's rule allows it (`decideAction('known-copy-sweep', …)`: exact
 * copies), otherwise pending for a reviewer. All in the job's transaction.
 */
export function sweepHandler(options: SweepOptions): JobHandler {
  return async (tx: Tx, job, now) => {
    const itemId = String(job.payload.itemId ?? '');
    const item = await tx.selectFrom('items').selectAll().where('id', '=', itemId).forUpdate().executeTakeFirst();
    if (!item || item.state !== 'confirmed') return; // withdrawn or declined since: nothing to remove
    const itemSignals = signalTypes.fromStored(item.signals);
    await bankConfirmedItem(tx, now, { id: item.id, signals: itemSignals });
    const thresholds = options.banks.banks().find((b) => b.kind === 'confirmed')?.thresholds ?? signalTypes.defaultThresholds();

    const caseItems = await tx.selectFrom('items').select(['id', 'position']).where('case_id', '=', item.case_id).execute();
    // Imagery of a minor: the platform is told of its own duty to report it (18 U.S.C. § 2258A).
    const owner = await tx.selectFrom('cases').select('under_18_when_made').where('id', '=', item.case_id).executeTakeFirstOrThrow();
    const minor = minorFlag(owner.under_18_when_made);
    const caseExtra = minor ? { minor } : {};
    const linked = await tx.selectFrom('platform_item_content').select('content_ref').where('item_id', 'in', caseItems.map((i) => i.id)).execute();
    const alreadyLinked = new Set(linked.map((l) => Number(l.content_ref)));

    // The reported address is a signal too: it finds the hosted original whatever its hashes.
    const query: SignalValues = { ...itemSignals };
    const address = item.url ? urlSignal.parseText(item.url) : undefined;
    if (address?.ok) query[urlSignal.name] = address.value;
    const hits: ContentHit[] = options.content.search(query, thresholds);
    const seen = new Set(hits.map((h) => h.entry.ref));
    // The originals' own signals (with their dihedral variants) find copies a URL-only request could not.
    for (const original of hits.filter(isOriginal)) {
      for (const hit of options.content.search(withoutAddress(original.entry.signals), thresholds)) {
        if (!seen.has(hit.entry.ref)) {
          seen.add(hit.entry.ref);
          hits.push(hit);
        }
      }
    }

    const originals: ContentHit[] = [];
    const copies: { hit: ContentHit; state: 'confirmed' | 'pending'; reason: string }[] = [];
    for (const hit of hits) {
      if (alreadyLinked.has(hit.entry.ref)) continue;
      if (isOriginal(hit)) {
        originals.push(hit);
        continue;
      }
      const decision = decideAction('known-copy-sweep', { signal: hit.signal, match: hit.match, confirmedSource: true });
      copies.push({ hit, state: decision.action === 'block' ? 'confirmed' : 'pending', reason: decision.reason });
    }

    const audit: AuditEntry[] = [];
    const events: PlatformEventInput[] = [];
    for (const hit of originals) {
      await tx.insertInto('platform_item_content').values({ item_id: item.id, content_ref: hit.entry.ref, relation: 'original', distance: hit.match.distance, found_at: now }).execute();
      // The hosted original's own signals block its re-uploads too (the request may have named only its URL).
      await bankConfirmedItem(tx, now, { id: item.id, signals: withoutAddress(hit.entry.signals) });
    }
    // Content linked to this very item earlier (a copy found by another item's sweep, now confirmed by a person).
    const linkedHere = await tx
      .selectFrom('platform_item_content')
      .innerJoin('platform_content', 'platform_content.ref', 'platform_item_content.content_ref')
      .select(['platform_content.platform_id', 'platform_content.content_id'])
      .where('platform_item_content.item_id', '=', item.id)
      .execute();
    const hosted = [...originals.map((h) => ({ platformId: h.entry.platformId, contentId: h.entry.contentId })), ...linkedHere.map((l) => ({ platformId: l.platform_id, contentId: l.content_id }))];
    // Only the platforms hosting the item are told (and only they may acknowledge): no platform stops another's clock.
    const platforms = [...((await hostingPlatforms(tx, [item])).get(item.id) ?? [])].sort();
    for (const platformId of platforms) {
      const contentIds = [...new Set(hosted.filter((h) => h.platformId === platformId).map((h) => h.contentId))];
      events.push({ platformId, type: 'item.remove', itemId: item.id, caseId: item.case_id, data: removalData(item, itemSignals, contentIds, caseExtra) });
    }
    if (platforms.length === 0) await escalateUnhosted(tx, now, item, audit);

    let position = Math.max(...caseItems.map((i) => i.position));
    for (const { hit, state, reason } of copies) {
      position += 1;
      const signals = withoutAddress(hit.entry.signals);
      const copy = {
        id: randomUUID(),
        case_id: item.case_id,
        position,
        url: hit.entry.url,
        signals: signalTypes.toStored(signals),
        media_type: item.media_type,
        public_interest: false,
        state,
        // Same request, same clock: the copy is due when the item it copies is due.
        received_at: item.received_at,
        deadline_at: item.deadline_at,
        escalation_level: 0,
        breached_at: null,
        escalated_at: null,
        escalation_reason: null,
        decided_at: state === 'confirmed' ? now : null,
        decided_by: state === 'confirmed' ? 'system' : null,
        decline_reason: null,
        decline_note: null,
        removed_at: null,
      };
      await tx.insertInto('items').values(copy).execute();
      await tx.insertInto('platform_item_content').values({ item_id: copy.id, content_ref: hit.entry.ref, relation: 'copy', distance: hit.match.distance, found_at: now }).execute();
      await tx.insertInto('item_matches').values({ item_id: copy.id, signal: hit.signal, matched_ref: `item:${item.id}`, distance: hit.match.distance, threshold: hit.match.threshold, found_at: now }).execute();
      audit.push({
        actor: 'system',
        action: 'item.received',
        caseId: item.case_id,
        itemId: copy.id,
        reason: `known copy found by the sweep of item ${item.id}`,
        data: { foundBy: 'sweep', copyOf: item.id, signal: hit.signal, distance: hit.match.distance, threshold: hit.match.threshold, ...(hit.match.detail ? { detail: hit.match.detail } : {}), thresholds: thresholds[hit.signal], deadline: item.deadline_at.toISOString() },
      });
      if (state === 'confirmed') {
        await bankConfirmedItem(tx, now, { id: copy.id, signals });
        audit.push({
          actor: 'system',
          action: 'item.confirmed',
          caseId: item.case_id,
          itemId: copy.id,
          reason: `${reason}: copy of confirmed item ${item.id}`,
          data: { stateBefore: 'pending', stateAfter: 'confirmed', automatic: true, signal: hit.signal, distance: hit.match.distance, threshold: hit.match.threshold },
        });
        events.push({ platformId: hit.entry.platformId, type: 'item.remove', itemId: copy.id, caseId: item.case_id, data: removalData(copy, signals, [hit.entry.contentId], { copyOf: item.id, distance: hit.match.distance, ...caseExtra }) });
      }
    }
    audit.push({
      actor: 'system',
      action: 'item.swept',
      caseId: item.case_id,
      itemId: item.id,
      data: {
        thresholds,
        identical: originals.length,
        platformsTold: platforms.length,
        removed: copies.filter((c) => c.state === 'confirmed').length,
        toReview: copies.filter((c) => c.state === 'pending').length,
      },
    });
    await queuePlatformEvents(tx, now, events);
    await appendAudit(tx, now, audit);
    options.afterChange?.();
  };
}
