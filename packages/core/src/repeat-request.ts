import type { ItemInput } from './request.ts';
import { isFinalItemState, type ItemState } from './item-state.ts';
import { signalTypes } from './signals/index.ts';

/**
 * People under stress ask more than once: the same request sent three times because the first page seemed to
 * hang, or a request sent again after a decline ("you can ask again with more details") or a withdrawal. Such
 * repeats are linked to the earlier item so a reviewer sees the history, and they are never counted against
 * the person (not as new requests, not as past rejections). Identity is exact: the same normalised address
 * or the same hash value, from the same notifier. The server compares keyed hashes of these identifiers,
 * never the identifiers themselves.
 */
export type RepeatKind = 'duplicate' | 'resubmission';

/** One identifier of an item, as text to be keyed; `fromUrl` ones go with the address when personal data is erased. */
export interface RepeatIdentifier {
  text: string;
  fromUrl: boolean;
}

/**
 * The identifiers two requests for the same content share: the normalised address, and each hash value by its
 * signal type's identity key (`sha256:…`, `pdq:…`). An item with neither has none.
 * @example repeatIdentifiers({ url: 'https://Example.com/p/1#top' }) // [{ text: 'url:https://example.com/p/1', fromUrl: true }]
 */
export function repeatIdentifiers(item: Pick<ItemInput, 'url' | 'hashes'>): RepeatIdentifier[] {
  const out: RepeatIdentifier[] = [];
  const url = item.url ? signalTypes.get('url')?.parseText(item.url) : undefined;
  if (url?.ok) out.push({ text: `url:${String(url.value)}`, fromUrl: true });
  const { values } = signalTypes.readAll(item.hashes ?? {});
  for (const [name, value] of Object.entries(values)) {
    const type = signalTypes.get(name);
    if (type && name !== 'url') out.push({ text: `${name}:${type.key(value as never)}`, fromUrl: false });
  }
  return out;
}

/** An earlier item of the same notifier with its keyed identifiers. */
export interface EarlierItem {
  itemId: string;
  caseId: string;
  state: ItemState | string;
  receivedAt: Date;
  keys: readonly string[];
}

export interface RepeatLink {
  kind: RepeatKind;
  itemId: string;
  caseId: string;
}

/**
 * For each new item (given by its keyed identifiers), the earlier item it repeats, if any: a duplicate of the
 * oldest earlier item still open (pending or confirmed) that shares an identifier, else a resubmission of the
 * most recent earlier item that ended (declined, withdrawn or removed) and shares one.
 * @example findRepeats([['k1']], [{ itemId: 'a', caseId: 'c', state: 'declined', receivedAt, keys: ['k1'] }]) // [{ kind: 'resubmission', itemId: 'a', caseId: 'c' }]
 */
export function findRepeats(newItems: readonly (readonly string[])[], earlier: readonly EarlierItem[]): (RepeatLink | undefined)[] {
  return newItems.map((keys) => {
    const wanted = new Set(keys);
    const same = earlier.filter((e) => e.keys.some((k) => wanted.has(k)));
    const open = same.filter((e) => !isFinalItemState(e.state as ItemState)).sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
    if (open.length > 0) return { kind: 'duplicate', itemId: open[0].itemId, caseId: open[0].caseId };
    const ended = same.sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime());
    return ended.length > 0 ? { kind: 'resubmission', itemId: ended[0].itemId, caseId: ended[0].caseId } : undefined;
  });
}
