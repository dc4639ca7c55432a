import { normaliseWebAddress } from './contact-format.ts';
import { type FieldReader, join } from './field-reader.ts';
import { type HashKind, normaliseHash } from './hash-format.ts';
import { readVpdqFrames } from './vpdq-frames.ts';
import type { ItemHashesInput, ItemInput } from './request.ts';
import type { RequestLimits } from './request-limits.ts';

const ITEM_FIELDS = ['url', 'hashes', 'mediaType', 'publicInterest'] as const;
const HASH_FIELDS = ['pdq', 'pdqQuality', 'md5', 'sha256', 'vpdq'] as const;
const HASH_KINDS: readonly HashKind[] = ['pdq', 'md5', 'sha256'];
const HASH_LABEL: Record<HashKind, string> = { pdq: 'PDQ', md5: 'MD5', sha256: 'SHA-256' };
const MEDIA_TYPES = ['image', 'video'] as const;

/**
 * Reads the `items` array of a request (or of an addition to a case). §3(a)(1)(B)(ii): each item must let us
 * find the depiction, by its address on the platform, by hashes of the file, or both.
 * `alreadyListed` holds the items of the case so far, so a repeated URL or hash is caught across additions.
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
  // Where each URL and hash was first seen, so a duplicate can say which item it repeats.
  const seen = new Map<string, string>();
  alreadyListed.forEach((item, i) => {
    for (const key of identityKeys(item)) seen.set(key, `item ${i + 1} of your case`);
  });
  value.forEach((raw, index) => {
    const item = readItem(reader, raw, join(field, index), limits);
    if (item === undefined) return;
    const path = join(field, index);
    let duplicate = false;
    for (const key of identityKeys(item)) {
      const first = seen.get(key);
      if (first !== undefined) {
        duplicate = true;
        const [kind] = key.split(':', 1);
        reader.add(
          kind === 'url' ? join(path, 'url') : join(join(path, 'hashes'), kind),
          'duplicate',
          `This ${kind === 'url' ? 'web address' : 'hash'} is already listed as ${first}. Please list each image or video once.`,
        );
      } else {
        seen.set(key, `item ${alreadyListed.length + index + 1}`);
      }
    }
    if (!duplicate) items.push(item);
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
  reader.onlyKnownFields(object, HASH_FIELDS, path);
  const hashes: ItemHashesInput = {};
  for (const kind of HASH_KINDS) {
    const text = reader.text(object[kind], join(path, kind), `the ${HASH_LABEL[kind]} hash`, 128, false);
    if (text === undefined) continue;
    const hash = normaliseHash(kind, text);
    if (hash.ok) hashes[kind] = hash.value;
    else reader.add(join(path, kind), 'invalid_hash', hash.message);
  }
  const quality = object.pdqQuality;
  if (quality !== undefined && quality !== null) {
    if (typeof quality !== 'number' || !Number.isInteger(quality) || quality < 0 || quality > 100) {
      reader.add(join(path, 'pdqQuality'), 'invalid_quality', 'The PDQ quality should be a whole number from 0 to 100.');
    } else if (object.pdq === undefined || object.pdq === null || object.pdq === '') {
      reader.add(join(path, 'pdqQuality'), 'quality_without_hash', 'A PDQ quality only makes sense with a PDQ hash; please add the hash or remove the quality.');
    } else {
      hashes.pdqQuality = quality;
    }
  }
  if (object.vpdq !== undefined && object.vpdq !== null) {
    const frames = readVpdqFrames(object.vpdq);
    if (frames.ok) hashes.vpdq = frames.frames;
    else reader.add(join(path, 'vpdq'), 'invalid_vpdq', `${frames.message} It is made on your device from the video; please choose the video again.`);
  }
  if (reader.errors.length > before) return undefined;
  if (hashes.pdq === undefined && hashes.md5 === undefined && hashes.sha256 === undefined && hashes.vpdq === undefined) {
    // An empty hashes object is harmless when a URL is given; readItem reports an item with neither.
    return undefined;
  }
  return hashes;
}

/**
 * The strings that identify an item: two items sharing any of them are the same depiction. Only exact
 * identities count: the same address or the same file bytes. Two different files can share a PDQ hash
 * (re-encodes, or near-uniform images whose hash says little), so PDQ is not used to call items duplicates.
 */
function identityKeys(item: ItemInput): string[] {
  const keys: string[] = [];
  if (item.url !== undefined) keys.push(`url:${item.url}`);
  for (const kind of ['md5', 'sha256'] as const) {
    const hash = item.hashes?.[kind];
    if (hash !== undefined) keys.push(`${kind}:${hash}`);
  }
  return keys;
}
