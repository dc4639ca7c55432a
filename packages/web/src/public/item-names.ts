/**
 * How the status page names the items of a request: by the person's own file names, which stay on their
 * device and are never sent, else by kind and order ("Picture 1", "Video 2", "Link 3"; a video is never called
 * a picture).
 *
 * The names live in the tab's session storage (gone when the tab closes, emptied by the quick exit), kept by
 * tab-memory.ts under `takedown.itemFileNames`: for each case, an array aligned with the request's `items` as
 * sent, the file name of each item or null (a link alone). The request form writes it when the request is
 * received; the saved case file lists the names too (docs/web.md, "What the tab keeps").
 */
import { recallItemFileNames, saveItemFileNames } from './tab-memory.ts';

/** A name longer than this is cut: it is a label, and storage is not ours alone. */
const MAX_NAME_LENGTH = 200;

export type ItemKind = 'copy' | 'video' | 'picture' | 'link';

/** What the page knows of an item to name it. */
export interface NameableItem {
  position: number;
  url?: string;
  mediaType?: string;
  reportedBy?: string;
  hashes?: Record<string, unknown>;
}

/** The kind an item is named by: a copy our checks found, a video, a picture, or a link alone. Pure. */
export function itemKind(item: NameableItem): ItemKind {
  if (item.reportedBy) return 'copy';
  if (item.mediaType === 'video') return 'video';
  if (item.mediaType === 'image') return 'picture';
  if (item.url) return 'link';
  // Hashes of a file without its kind (an older request): the form sends pictures and videos, and a video
  // always carries its kind, so a file of unknown kind was a picture.
  return 'picture';
}

/** Only an array of strings and nulls is taken from storage; anything else there is ignored. Pure. */
export function readFileNames(value: unknown): (string | null)[] {
  if (!Array.isArray(value)) return [];
  return value.map((name) => (typeof name === 'string' && name.trim() !== '' ? name.replace(/[\r\n\t]+/g, ' ').trim().slice(0, MAX_NAME_LENGTH) : null));
}

/** One line of the saved case file per named item: two spaces, its number, a full stop, a space, the name. */
export function caseFileNameLines(names: readonly (string | null)[]): string[] {
  return names.flatMap((name, index) => (name ? [`  ${index + 1}. ${name}`] : []));
}

const NAME_LINE = /^ {2}(\d{1,4})\. (.+)$/;

/**
 * The file names in a saved case file (Confirmation.tsx writes it), read on the device: `wrong` when the file
 * is not this case's (its case number is not in it), `none` when it names no item. Pure.
 */
export function namesFromCaseFile(text: string, caseNumber: string): { kind: 'ok'; names: (string | null)[] } | { kind: 'wrong' } | { kind: 'none' } {
  if (!text.includes(caseNumber)) return { kind: 'wrong' };
  const names: (string | null)[] = [];
  for (const line of text.split(/\r?\n/)) {
    const found = NAME_LINE.exec(line);
    if (!found) continue;
    const index = Number(found[1]) - 1;
    while (names.length < index) names.push(null);
    names[index] = found[2];
  }
  const read = readFileNames(names);
  return read.some((name) => name !== null) ? { kind: 'ok', names: read } : { kind: 'none' };
}

/** Keeps, in this tab only, the person's file names of a request (read back from its saved case file). */
export function rememberFileNames(caseNumber: string, names: readonly (string | null)[]): void {
  if (names.some((name) => name !== null)) saveItemFileNames(caseNumber, [...names]);
}

/** The file names this tab kept for a case, aligned with its items' positions; empty when none were kept. */
export function recalledFileNames(caseNumber: string): (string | null)[] {
  return readFileNames(recallItemFileNames(caseNumber));
}
