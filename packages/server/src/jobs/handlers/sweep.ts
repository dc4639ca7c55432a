import { randomUUID } from 'node:crypto';
import { AUTO_ACTION_MIN_PDQ_QUALITY } from '@takedown/core';
import { DEFAULT_VIDEO_MATCH_THRESHOLDS } from '@takedown/vpdq';
import { appendAudit, type AuditEntry } from '../../audit/chain.ts';
import { DEFAULT_BANK_THRESHOLDS, vpdqShareBothWays } from '../../platform/bank-thresholds.ts';
import type { BankIndex } from '../../platform/bank-index.ts';
import type { ContentHit, ContentIndex } from '../../platform/content-index.ts';
import { storedFrames } from '../../platform/content-entry.ts';
import { uploaderReason } from '../../platform/verdict.ts';
import type { Tx } from '../../store/database.ts';
import { bankConfirmedItem } from '../../store/platform-banks.ts';
import { activePlatformIds, queuePlatformEvents, type PlatformEventInput } from '../../store/platform-events.ts';
import { platformTx } from '../../store/platform-schema.ts';
import { PLATFORM_NOTIFY_JOB } from '../../store/review.ts';
import type { ItemRow } from '../../store/rows.ts';
import type { JobHandler } from '../worker.ts';

export { PLATFORM_NOTIFY_JOB };

export interface SweepOptions {
  banks: BankIndex;
  content: ContentIndex;
  /** Called after the job's transaction is queued, so this process's indexes pick up the new bank hashes. */
  afterChange?: () => void;
}

/** The radius of the known-copy sweep: PDQ's usual match threshold. Hits beyond the block threshold go to review. */
const SWEEP_RADIUS_BITS = 31;

function removalData(item: Pick<ItemRow, 'id' | 'url' | 'pdq' | 'md5' | 'sha256' | 'deadline_at'>, contentIds: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const hashes: Record<string, string> = {};
  if (item.pdq) hashes.pdq = item.pdq;
  if (item.md5) hashes.md5 = item.md5.trim();
  if (item.sha256) hashes.sha256 = item.sha256;
  // What the platform needs to act and to tell the uploader (DSA Art. 17): never who asked.
  return { itemId: item.id, url: item.url, hashes, contentIds, deadline: item.deadline_at.toISOString(), uploaderReason: uploaderReason('block'), ...extra };
}

/**
 * On confirmation of an item (job `platform.notify` written by the reviewer's decision): file its hashes in
 * the confirmed bank (future uploads are checked against it), tell the platform to remove it, and sweep the
 * platform's content index for known copies (§3(a)(3)(B)). Copies within the block threshold become new,
 * confirmed items of the same case with the same deadline and their own removal instruction; copies up to
 * 31 bits go to a reviewer as new pending items. All in the job's transaction.
 */
export function sweepHandler(options: SweepOptions): JobHandler {
  return async (raw: Tx, job, now) => {
    const tx = platformTx(raw);
    const itemId = String(job.payload.itemId ?? '');
    const item = await tx.selectFrom('items').selectAll().where('id', '=', itemId).forUpdate().executeTakeFirst();
    if (!item || item.state !== 'confirmed') return; // withdrawn or declined since: nothing to remove
    await bankConfirmedItem(raw, now, item);
    const thresholds = options.banks.banks().find((b) => b.kind === 'confirmed')?.thresholds ?? DEFAULT_BANK_THRESHOLDS;

    const caseItems = await tx.selectFrom('items').select(['id', 'position']).where('case_id', '=', item.case_id).execute();
    const linked = await tx.selectFrom('platform_item_content').select('content_ref').where('item_id', 'in', caseItems.map((i) => i.id)).execute();
    const alreadyLinked = new Set(linked.map((l) => Number(l.content_ref)));

    const itemVpdq = storedFrames(item.vpdq);
    const hits: ContentHit[] = options.content.search({ pdq: item.pdq, md5: item.md5?.trim(), sha256: item.sha256, vpdq: itemVpdq }, SWEEP_RADIUS_BITS, thresholds.vpdqMatchPercent);
    const seen = new Set(hits.map((h) => h.entry.ref));
    const add = (found: ContentHit[]) => {
      for (const hit of found) {
        if (!seen.has(hit.entry.ref)) {
          seen.add(hit.entry.ref);
          hits.push(hit);
        }
      }
    };
    // Quality of the reference image: the item's own hash, or the hosted original's for a URL-only request.
    let referenceQuality = item.pdq_quality ?? 0;
    if (item.url) {
      // The reported URL itself, if the platform registered it, is the original whatever its hashes, and its
      // hashes (with their dihedral variants) find copies a URL-only request could not.
      const byUrl = await tx.selectFrom('platform_content').select('ref').where('url', '=', item.url).where('deleted_at', 'is', null).execute();
      for (const row of byUrl) {
        const entry = options.content.get(Number(row.ref));
        if (!entry) continue;
        const known = hits.findIndex((h) => h.entry.ref === entry.ref);
        if (known !== -1) hits.splice(known, 1);
        hits.unshift({ entry, signal: 'sha256', distance: 0 });
        seen.add(entry.ref);
        if (item.pdq === null) referenceQuality = Math.max(referenceQuality, entry.pdqQuality ?? 0);
        add(options.content.search({ pdq: entry.pdq, pdqVariants: entry.pdqVariants, md5: entry.md5, sha256: entry.sha256, vpdq: entry.vpdq }, SWEEP_RADIUS_BITS, thresholds.vpdqMatchPercent));
      }
    }

    const originals: ContentHit[] = [];
    const copies: { hit: ContentHit; state: 'confirmed' | 'pending' }[] = [];
    for (const hit of hits) {
      if (alreadyLinked.has(hit.entry.ref)) continue;
      const identical = hit.signal === 'md5' || hit.signal === 'sha256' || (item.url !== null && hit.entry.url === item.url);
      if (identical) {
        originals.push(hit);
        continue;
      }
      // A video found by its frames is a person's call: the same frames can be another cut or a compilation.
      if (hit.signal === 'vpdq') {
        copies.push({ hit, state: 'pending' });
        continue;
      }
      const trustworthy = referenceQuality >= AUTO_ACTION_MIN_PDQ_QUALITY && (hit.entry.pdqQuality ?? 0) >= AUTO_ACTION_MIN_PDQ_QUALITY;
      if (trustworthy && thresholds.pdqBlockBits >= 0 && hit.distance <= thresholds.pdqBlockBits) copies.push({ hit, state: 'confirmed' });
      else if (hit.distance <= thresholds.pdqReviewBits) copies.push({ hit, state: 'pending' });
    }

    const audit: AuditEntry[] = [];
    const events: PlatformEventInput[] = [];
    for (const hit of originals) {
      await tx.insertInto('platform_item_content').values({ item_id: item.id, content_ref: hit.entry.ref, relation: 'original', distance: hit.distance, found_at: now }).execute();
      // The hosted original's own hashes block its re-uploads too (the request may have named only its URL).
      const e = hit.entry;
      await bankConfirmedItem(raw, now, { id: item.id, pdq: e.pdq, pdq_quality: e.pdqQuality, md5: e.md5, sha256: e.sha256, vpdq: e.vpdq ? JSON.stringify(e.vpdq) : null });
    }
    // Content linked to this very item earlier (a copy found by another item's sweep, now confirmed by a person).
    const linkedHere = await tx
      .selectFrom('platform_item_content')
      .innerJoin('platform_content', 'platform_content.ref', 'platform_item_content.content_ref')
      .select(['platform_content.platform_id', 'platform_content.content_id'])
      .where('platform_item_content.item_id', '=', item.id)
      .execute();
    const hosted = [...originals.map((h) => ({ platformId: h.entry.platformId, contentId: h.entry.contentId })), ...linkedHere.map((l) => ({ platformId: l.platform_id, contentId: l.content_id }))];
    const hostingPlatforms = [...new Set(hosted.map((h) => h.platformId))];
    const platforms = hostingPlatforms.length > 0 ? hostingPlatforms : await activePlatformIds(raw);
    for (const platformId of platforms) {
      const contentIds = [...new Set(hosted.filter((h) => h.platformId === platformId).map((h) => h.contentId))];
      events.push({ platformId, type: 'item.remove', itemId: item.id, caseId: item.case_id, data: removalData(item, contentIds) });
    }

    let position = Math.max(...caseItems.map((i) => i.position));
    for (const { hit, state } of copies) {
      position += 1;
      const copy = {
        id: randomUUID(),
        case_id: item.case_id,
        position,
        url: hit.entry.url,
        pdq: hit.entry.pdq,
        pdq_quality: hit.entry.pdqQuality,
        md5: hit.entry.md5,
        sha256: hit.entry.sha256,
        vpdq: hit.entry.vpdq ? JSON.stringify(hit.entry.vpdq) : null,
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
      await tx.insertInto('platform_item_content').values({ item_id: copy.id, content_ref: hit.entry.ref, relation: 'copy', distance: hit.distance, found_at: now }).execute();
      const threshold = state === 'confirmed' ? thresholds.pdqBlockBits : thresholds.pdqReviewBits;
      await tx.insertInto('item_matches').values({ item_id: copy.id, signal: hit.signal === 'vpdq' ? 'vpdq' : 'pdq', matched_ref: `item:${item.id}`, distance: hit.distance, threshold, found_at: now }).execute();
      audit.push({
        actor: 'system',
        action: 'item.received',
        caseId: item.case_id,
        itemId: copy.id,
        reason: `known copy found by the sweep of item ${item.id}`,
        data: { foundBy: 'sweep', copyOf: item.id, distance: hit.distance, thresholds: { ...thresholds }, deadline: item.deadline_at.toISOString(), ...(hit.video ? { signal: 'vpdq', video: hit.video, videoThresholds: { ...DEFAULT_VIDEO_MATCH_THRESHOLDS, ...vpdqShareBothWays(thresholds.vpdqMatchPercent) } } : {}) },
      });
      if (state === 'confirmed') {
        await bankConfirmedItem(raw, now, copy);
        audit.push({
          actor: 'system',
          action: 'item.confirmed',
          caseId: item.case_id,
          itemId: copy.id,
          reason: `near-exact copy (${hit.distance} bits, block threshold ${thresholds.pdqBlockBits}) of confirmed item ${item.id}`,
          data: { stateBefore: 'pending', stateAfter: 'confirmed', automatic: true, distance: hit.distance, pdqBlockBits: thresholds.pdqBlockBits },
        });
        events.push({ platformId: hit.entry.platformId, type: 'item.remove', itemId: copy.id, caseId: item.case_id, data: removalData(copy, [hit.entry.contentId], { copyOf: item.id, distance: hit.distance }) });
      }
    }
    audit.push({
      actor: 'system',
      action: 'item.swept',
      caseId: item.case_id,
      itemId: item.id,
      data: {
        radiusBits: SWEEP_RADIUS_BITS,
        thresholds: { ...thresholds },
        identical: originals.length,
        removed: copies.filter((c) => c.state === 'confirmed').length,
        toReview: copies.filter((c) => c.state === 'pending').length,
      },
    });
    await queuePlatformEvents(raw, now, events);
    await appendAudit(raw, now, audit);
    options.afterChange?.();
  };
}
