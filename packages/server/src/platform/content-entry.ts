import { signalTypes, type SignalValues } from '@takedown/core';
import type { ContentInput } from './content-input.ts';

/** A problem with one field of a registered content entry or an upload check, in words that say what to fix. */
export interface EntryProblem {
  field: string;
  message: string;
}

/**
 * Reads the signal fields of a content entry or an upload check ({ pdq, pdqQuality, md5, vpdq, … }) through
 * the signal registry; problems name the field (with `prefix`).
 */
export function readSignalFields(value: Record<string, unknown>, problems: EntryProblem[], prefix = ''): SignalValues {
  const read = signalTypes.readAll(value);
  for (const problem of read.problems) problems.push({ field: prefix + problem.field, message: problem.message });
  return read.values;
}

/** The signal fields a platform may send, for messages: "pdq, md5, sha256, vpdq or url". */
export function signalFieldList(): string {
  const names = signalTypes.names();
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20 || text.charCodeAt(i) === 0x7f) return true;
  return false;
}

/** Reads one content entry (JSON object) for the content index; problems are listed by field. */
export function readContentEntry(value: unknown, prefix = ''): { entry?: ContentInput; problems: EntryProblem[] } {
  const problems: EntryProblem[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problems: [{ field: prefix || 'body', message: 'Each entry is a JSON object.' }] };
  const record = value as Record<string, unknown>;
  const known = new Set(['contentId', 'url', 'mediaType', ...signalTypes.fields()]);
  for (const key of Object.keys(record)) {
    if (!known.has(key)) problems.push({ field: prefix + key, message: `${key} is not a field we accept; remove it.` });
  }
  const contentId = record.contentId;
  if (typeof contentId !== 'string' || contentId.length === 0 || contentId.length > 256 || hasControlCharacter(contentId)) {
    problems.push({ field: prefix + 'contentId', message: 'contentId is required: your id for this content, 1–256 characters without control characters.' });
  }
  const mediaType = record.mediaType;
  if (mediaType !== undefined && mediaType !== null && (typeof mediaType !== 'string' || !/^(image|video)\/[a-z0-9.+-]{1,60}$/i.test(mediaType))) {
    problems.push({ field: prefix + 'mediaType', message: 'mediaType is an image/… or video/… media type, e.g. image/jpeg.' });
  }
  // The content's address is one of its signals (the `url` type): it finds the hosted original of a request.
  const signals = readSignalFields(record, problems, prefix);
  if (problems.length === 0 && Object.keys(signals).filter((s) => signalTypes.get(s)?.media !== 'url').length === 0) {
    problems.push({ field: prefix + 'pdq', message: `Send at least one hash (${signalFieldList()}), or the image or video bytes as multipart.` });
  }
  if (problems.length > 0) return { problems };
  const entry: ContentInput = { contentId: contentId as string, signals };
  if (typeof mediaType === 'string') entry.mediaType = mediaType.toLowerCase();
  return { entry, problems };
}
