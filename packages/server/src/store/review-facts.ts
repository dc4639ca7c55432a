import { reviewMarkers, signalTypes, type ReviewMarker, type RepeatKind } from '@takedown/core';
import type { Tx } from './database.ts';
import type { CaseRow, ItemRow } from './rows.ts';

/** The earlier item an item asks about again, as the console links to it. */
export interface RepeatOf {
  kind: RepeatKind;
  itemId: string;
  caseNumber: string;
  position: number;
}

/** What the queue and the item page mark beside items: core's markers, and the earlier item each repeats. */
export interface ItemFacts {
  markers: ReviewMarker[];
  repeatOf?: RepeatOf;
}

type ItemFactsRow = Pick<ItemRow, 'id' | 'media_type' | 'signals' | 'repeat_of' | 'repeat_kind'>;
type CaseFactsRow = Pick<CaseRow, 'share_media' | 'under_18_when_made'>;

/** An item is a video by its media type or by a video signal (vPDQ). */
function isVideo(item: Pick<ItemRow, 'media_type' | 'signals'>): boolean {
  return item.media_type === 'video' || Object.keys(signalTypes.fromStored(item.signals)).some((name) => signalTypes.get(name)?.media === 'video');
}

/**
 * The facts for many items in two round trips: which have an open appeal, and the earlier items they repeat.
 * Whether an item came in a regulator's notice the caller already read with its case (`fromRegulator`).
 */
export async function itemFacts(tx: Tx, rows: readonly { item: ItemFactsRow; caseRow: CaseFactsRow; fromRegulator: boolean }[]): Promise<Map<string, ItemFacts>> {
  const ids = rows.map((r) => r.item.id);
  const earlierIds = [...new Set(rows.flatMap((r) => (r.item.repeat_of ? [r.item.repeat_of] : [])))];
  const appealed =
    ids.length === 0 ? [] : await tx.selectFrom('item_appeals').select('item_id').where('state', '=', 'open').where('item_id', 'in', ids).execute();
  const earlier =
    earlierIds.length === 0
      ? []
      : await tx.selectFrom('items').innerJoin('cases', 'cases.id', 'items.case_id').select(['items.id', 'items.position', 'cases.case_number']).where('items.id', 'in', earlierIds).execute();
  const open = new Set(appealed.map((a) => a.item_id));
  const earlierById = new Map(earlier.map((e) => [e.id, e]));
  const facts = new Map<string, ItemFacts>();
  for (const { item, caseRow, fromRegulator } of rows) {
    const before = item.repeat_of ? earlierById.get(item.repeat_of) : undefined;
    const repeatOf = before && item.repeat_kind ? { kind: item.repeat_kind, itemId: before.id, caseNumber: before.case_number, position: before.position } : undefined;
    facts.set(item.id, {
      markers: reviewMarkers({ shareMedia: caseRow.share_media, video: isVideo(item), under18WhenMade: caseRow.under_18_when_made, openAppeal: open.has(item.id), regulatorNotice: fromRegulator, repeatKind: repeatOf?.kind }),
      ...(repeatOf && { repeatOf }),
    });
  }
  return facts;
}
