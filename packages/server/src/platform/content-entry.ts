import { readVpdqFrames, type VpdqFrame } from '@takedown/core';
import type { ContentInput } from '../store/platform-content.ts';

/** A problem with one field of a registered content entry or an upload check, in words that say what to fix. */
export interface EntryProblem {
  field: string;
  message: string;
}

const HEX = (length: number) => new RegExp(`^[0-9a-fA-F]{${length}}$`);
const PDQ = HEX(64);
const MD5 = HEX(32);
const SHA256 = HEX(64);

export interface HashFields {
  pdq?: string;
  pdqQuality?: number;
  pdqVariants?: string[];
  md5?: string;
  sha256?: string;
  /** A video's vPDQ frames: [{ index, timestamp, hash, quality }]. */
  vpdq?: VpdqFrame[];
}

/** Checks and normalises (lowercase) the hash fields; `required` when at least one hash must be there. */
export function readHashFields(value: Record<string, unknown>, problems: EntryProblem[], prefix = ''): HashFields {
  const hashes: HashFields = {};
  const at = (field: string) => prefix + field;
  for (const [field, pattern, size] of [['pdq', PDQ, 64], ['md5', MD5, 32], ['sha256', SHA256, 64]] as const) {
    const raw = value[field];
    if (raw === undefined || raw === null) continue;
    if (typeof raw !== 'string' || !pattern.test(raw)) problems.push({ field: at(field), message: `${field} must be ${size} hexadecimal characters.` });
    else hashes[field] = raw.toLowerCase();
  }
  const quality = value.pdqQuality;
  if (quality !== undefined && quality !== null) {
    if (typeof quality !== 'number' || !Number.isInteger(quality) || quality < 0 || quality > 100) problems.push({ field: at('pdqQuality'), message: 'pdqQuality is a whole number from 0 to 100.' });
    else hashes.pdqQuality = quality;
  }
  const variants = value.pdqVariants;
  if (variants !== undefined && variants !== null) {
    if (!Array.isArray(variants) || variants.length > 7 || !variants.every((v) => typeof v === 'string' && PDQ.test(v))) {
      problems.push({ field: at('pdqVariants'), message: 'pdqVariants is a list of up to 7 PDQ hashes (the other dihedral variants), 64 hex characters each.' });
    } else hashes.pdqVariants = (variants as string[]).map((v) => v.toLowerCase());
  }
  const vpdq = value.vpdq;
  if (vpdq !== undefined && vpdq !== null) {
    const read = readVpdqFrames(vpdq);
    if (!read.ok) problems.push({ field: at('vpdq'), message: read.message });
    else hashes.vpdq = read.frames;
  }
  return hashes;
}

export function hasAnyHash(hashes: HashFields): boolean {
  return Boolean(hashes.pdq || hashes.md5 || hashes.sha256 || hashes.vpdq);
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20 || text.charCodeAt(i) === 0x7f) return true;
  return false;
}

const KNOWN_FIELDS = new Set(['contentId', 'url', 'mediaType', 'pdq', 'pdqQuality', 'pdqVariants', 'md5', 'sha256', 'vpdq']);

/** Reads one content entry (JSON object) for the content index; problems are listed by field. */
export function readContentEntry(value: unknown, prefix = ''): { entry?: ContentInput; problems: EntryProblem[] } {
  const problems: EntryProblem[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problems: [{ field: prefix || 'body', message: 'Each entry is a JSON object.' }] };
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!KNOWN_FIELDS.has(key)) problems.push({ field: prefix + key, message: `${key} is not a field we accept; remove it.` });
  }
  const contentId = record.contentId;
  if (typeof contentId !== 'string' || contentId.length === 0 || contentId.length > 256 || hasControlCharacter(contentId)) {
    problems.push({ field: prefix + 'contentId', message: 'contentId is required: your id for this content, 1–256 characters without control characters.' });
  }
  const url = record.url;
  if (url !== undefined && url !== null && (typeof url !== 'string' || url.length > 2048 || !/^https?:\/\/[^\s]+$/i.test(url))) {
    problems.push({ field: prefix + 'url', message: 'url must be an http(s) URL of at most 2048 characters.' });
  }
  const mediaType = record.mediaType;
  if (mediaType !== undefined && mediaType !== null && (typeof mediaType !== 'string' || !/^(image|video)\/[a-z0-9.+-]{1,60}$/i.test(mediaType))) {
    problems.push({ field: prefix + 'mediaType', message: 'mediaType is an image/… or video/… media type, e.g. image/jpeg.' });
  }
  const hashes = readHashFields(record, problems, prefix);
  if (problems.length === 0 && !hasAnyHash(hashes)) problems.push({ field: prefix + 'pdq', message: 'Send at least one hash (pdq, vpdq, md5 or sha256), or the image or video bytes as multipart.' });
  if (problems.length > 0) return { problems };
  const entry: ContentInput = { contentId: contentId as string, ...hashes };
  if (typeof url === 'string') entry.url = url;
  if (typeof mediaType === 'string') entry.mediaType = mediaType.toLowerCase();
  return { entry, problems };
}

/**
 * vPDQ frames as this server stored them (JSON text, checked on the way in); a value that is missing or does
 * not read back counts as none.
 */
export function storedFrames(text: string | null | undefined): VpdqFrame[] | null {
  if (!text) return null;
  try {
    const read = readVpdqFrames(JSON.parse(text));
    return read.ok ? read.frames : null;
  } catch {
    return null;
  }
}
