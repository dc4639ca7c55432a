/**
 * What the public pages keep in this tab's session storage, so a reload or the Back button loses nothing: the
 * request form as far as it is filled in, and the file names of the pictures of a request just sent. Session
 * storage lives only as long as the tab and is never shared with other tabs; the quick exit empties it.
 * Never kept here: the pictures themselves, the case PIN, a saved request's code.
 *
 * Keys (docs/web.md, "What the tab keeps"):
 * - `takedown.requestDraft`: the form (`StoredDraft`, JSON).
 * - `takedown.itemFileNames`: `{ [caseNumber]: (string | null)[] }`, for each case sent from this tab the
 *   person's own file name of each item, aligned with the request's `items` as sent (null: a link only).
 */
import { emptyDraft, STEPS, type PictureEntry, type RequestDraft, type StepId } from './request/draft.ts';

export const DRAFT_KEY = 'takedown.requestDraft';
export const ITEM_FILE_NAMES_KEY = 'takedown.itemFileNames';

/** The draft as stored: the form's fields, and each picture's name, kind and hashes (no bytes). */
export interface StoredDraft {
  version: 1;
  draft: RequestDraft;
}

function read(key: string): unknown {
  try {
    const text = sessionStorage.getItem(key);
    return text === null ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function write(key: string, value: unknown): void {
  try {
    sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or refused: the form still works, it just will not survive a reload.
  }
}

/**
 * The part of a draft worth keeping: pictures still being read cannot finish after a reload (the file is no
 * longer at hand) and are left out, so are those that could not be read; the rest keep their fingerprints.
 * The choice to share copies is not kept: the copies would have to come from files no longer at hand.
 */
export function draftToStore(draft: RequestDraft): StoredDraft {
  const pictures: PictureEntry[] = draft.pictures
    .filter((p) => p.status === 'done' && p.hashes)
    .map(({ key, name, size, kind, status, hashes, linkIndex }) => ({ key, name, size, kind, status, hashes, linkIndex }));
  // A restored picture has no file to send, so "share a copy" cannot hold after a reload: it is asked again.
  return { version: 1, draft: { ...draft, pictures, shareMedia: false } };
}

/** A stored draft read back, or undefined when there is none (or it is not one this page wrote). */
export function draftFromStore(stored: unknown): RequestDraft | undefined {
  if (!stored || typeof stored !== 'object' || (stored as StoredDraft).version !== 1) return undefined;
  const draft = (stored as StoredDraft).draft;
  if (!draft || typeof draft !== 'object' || !Array.isArray(draft.links) || !Array.isArray(draft.pictures)) return undefined;
  return { ...emptyDraft(), ...draft };
}

export function loadDraft(): RequestDraft | undefined {
  return draftFromStore(read(DRAFT_KEY));
}

export function saveDraft(draft: RequestDraft): void {
  write(DRAFT_KEY, draftToStore(draft));
}

export function forgetDraft(): void {
  try {
    sessionStorage.removeItem(DRAFT_KEY);
  } catch {
    // Nothing to forget.
  }
}

/** Whether a step id read from history is one of the form's. */
export function isStepId(value: unknown): value is StepId {
  return STEPS.some((s) => s.id === value);
}

/** Keeps, for a case just sent, the person's file name of each item in the order the request sent them. */
export function saveItemFileNames(caseNumber: string, names: (string | null)[]): void {
  const all = read(ITEM_FILE_NAMES_KEY);
  const byCase = all && typeof all === 'object' ? (all as Record<string, (string | null)[]>) : {};
  write(ITEM_FILE_NAMES_KEY, { ...byCase, [caseNumber]: names });
}

/** What was kept for one case (unchecked: item-names.ts reads it). */
export function recallItemFileNames(caseNumber: string): unknown {
  const all = read(ITEM_FILE_NAMES_KEY);
  return all && typeof all === 'object' ? (all as Record<string, unknown>)[caseNumber] : undefined;
}

/** The quick exit: everything this tab kept, gone (the draft, file names, the language chosen). */
export function forgetEverything(): void {
  try {
    sessionStorage.clear();
  } catch {
    // Storage refused: there was nothing in it.
  }
}
