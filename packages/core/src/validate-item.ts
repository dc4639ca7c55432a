import { normaliseWebAddress } from './contact-format.ts';
import { type FieldReader, join } from './field-reader.ts';
import { signalTypes, type AnySignalType } from './signals/signal-registry.ts';
import type { ItemHashesInput, ItemInput } from './request.ts';
import type { RequestLimits } from './request-limits.ts';

const ITEM_FIELDS = ['url', 'hashes', 'mediaType', 'publicInterest'] as const;
/** An item's address is its own field: its hashes carry every other signal type. */
const hashType = (type: AnySignalType) => type.media !== 'url';
const MEDIA_TYPES = ['image', 'video'] as const;

/**
 * Reads the `items` array of a request (or of an addition to a case). §3(a)(1)(B)(ii): each item must let us
 * find the depiction, by its address on the platform, by hashes of the file, or both.
 * `alreadyListed` holds the items of the case so far: an addition that only repeats them is refused, saying
 * which item it repeats. Within one list, an item that repeats items above it is merged into them (dropped).
 */
export function readItems(
  reader: FieldReader,
  value: unknown,
  field: string,
  limits: RequestLimits,
  alreadyListed: readonly ItemInput[] = [],
): ItemInput[] {
  if (value === undefined || value === null) {
    reader.add(field, 'required', 'Please add at least one image or video: its web address, its hashes, or both.');
    return [];
  }
  if (!Array.isArray(value)) {
    reader.add(field, 'wrong_type', 'The items should be a list (a JSON array).');
    return [];
  }
  if (value.length === 0) {
    reader.add(field, 'required', 'Please add at least one image or video: its web address, its hashes, or both.');
    return [];
  }
  const room = limits.maxItems - alreadyListed.length;
  if (value.length > room) {
    reader.add(
      field,
      'too_many_items',
      alreadyListed.length === 0
        ? `One request can list at most ${limits.maxItems} items; this one has ${value.length}. Please split it into several requests.`
        : `A case can hold at most ${limits.maxItems} items; it has ${alreadyListed.length} and this adds ${value.length}. Please open a new request for the rest.`,
    );
    return [];
  }
  const items: ItemInput[] = [];
  // Where each URL and hash was first seen: in the case before (a repeat there is refused, saying which item it
  // repeats) or earlier in this list (a repeat there is merged: listing something twice is no reason to refuse).
  const inCase = new Map<string, string>();
  alreadyListed.forEach((item, i) => {
    for (const key of identityKeys(item)) inCase.set(key, `item ${i + 1} of your case`);
  });
  const inThisList = new Set<string>();
  value.forEach((raw, index) => {
    const item = readItem(reader, raw, join(field, index), limits);
    if (item === undefined) return;
    const path = join(field, index);
    const keys = identityKeys(item);
    const listedBefore = keys.find((key) => inCase.has(key));
    if (listedBefore !== undefined && keys.every((key) => inCase.has(key) || inThisList.has(key))) {
      const [kind] = listedBefore.split(':', 1);
      reader.add(
        kind === 'url' ? join(path, 'url') : join(join(path, 'hashes'), kind),
        'duplicate',
        `This ${kind === 'url' ? 'web address' : 'hash'} is already listed as ${inCase.get(listedBefore)}. Please list each image or video once.`,
      );
      return;
    }
    // Everything this item says was already said by an item above: it is the same one, listed again.
    if (keys.length > 0 && keys.every((key) => inThisList.has(key))) return;
    for (const key of keys) inThisList.add(key);
    items.push(item);
  });
  return items;
}

function readItem(reader: FieldReader, raw: unknown, path: string, limits: RequestLimits): ItemInput | undefined {
  const object = reader.object(raw, path, 'this item');
  if (object === undefined) return undefined;
  const before = reader.errors.length;
  reader.onlyKnownFields(object, ITEM_FIELDS, path);

  const item: ItemInput = {};
  const urlText = reader.text(object.url, join(path, 'url'), 'the web address', limits.maxUrlLength, false);
  if (urlText !== undefined) {
    const url = normaliseWebAddress(urlText, limits.maxUrlLength);
    if (url.ok) item.url = url.value;
    else reader.add(join(path, 'url'), url.code, url.message);
  }
  const hashes = readHashes(reader, object.hashes, join(path, 'hashes'));
  if (hashes !== undefined) item.hashes = hashes;
  const mediaType = reader.choice(object.mediaType, join(path, 'mediaType'), 'the media type', MEDIA_TYPES, false);
  if (mediaType !== undefined) item.mediaType = mediaType;
  const publicInterest = reader.boolean(object.publicInterest, join(path, 'publicInterest'), 'the public-interest flag');
  if (publicInterest !== undefined) item.publicInterest = publicInterest;

  if (reader.errors.length > before) return undefined;
  if (item.url === undefined && item.hashes === undefined) {
    reader.add(
      path,
      'item_needs_url_or_hash',
      'Please give the web address where this image or video appears, or its hashes (made on your device), or both.',
    );
    return undefined;
  }
  return item;
}

function readHashes(reader: FieldReader, raw: unknown, path: string): ItemHashesInput | undefined {
  const object = reader.object(raw, path, 'the hashes', false);
  if (object === undefined) return undefined;
  const before = reader.errors.length;
  reader.onlyKnownFields(object, signalTypes.all().filter(hashType).flatMap((t) => t.fields), path);
  const read = signalTypes.readAll(object, hashType);
  for (const problem of read.problems) {
    const extra = problem.code === 'invalid_vpdq' ? ' It is made on your device from the video; please choose the video again.' : '';
    reader.add(join(path, problem.field), problem.code, problem.message + extra);
  }
  if (reader.errors.length > before) return undefined;
  // An empty hashes object is harmless when a URL is given; readItem reports an item with neither.
  if (Object.keys(read.values).length === 0) return undefined;
  return signalTypes.writeAll(read.values) as ItemHashesInput;
}

/**
 * The strings that identify an item: two items sharing any of them are the same depiction. Only exact
 * identities count: the same address or the same file bytes. Two different files can share a PDQ hash
 * (re-encodes, or near-uniform images whose hash says little), so PDQ is not used to call items duplicates.
 */
function identityKeys(item: ItemInput): string[] {
  const keys: string[] = [];
  if (item.url !== undefined) keys.push(`url:${item.url}`);
  const read = signalTypes.readAll(item.hashes ?? {}, hashType);
  for (const [name, value] of Object.entries(read.values)) {
    const type = signalTypes.get(name)!;
    if (type.media === 'file') keys.push(`${name}:${type.key(value)}`);
  }
  return keys;
}
