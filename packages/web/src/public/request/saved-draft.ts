/**
 * Saving an unfinished request on the server and bringing it back. The server keeps it encrypted under a code
 * of its own (shown once), starts no clock, and deletes it after a few days. Pure conversions plus the calls.
 */
import type { FieldError, ItemInput, RemovalRequestInput } from '@takedown/core';
import { api } from '../../shared/api.ts';
import { emptyDraft, REQUESTER_LOCATIONS, toRequestInput, type PictureEntry, type RequestDraft } from './draft.ts';

export const DRAFT_TOKEN_HEADER = 'Takedown-Draft-Token';

/** What the server says about a saved request: when it goes, and which parts the law still needs. */
export interface SavedDraftState {
  expiresAt: string;
  complete: boolean;
  missing: { element: string; clause: string; description: string }[];
  fields: FieldError[];
}

/** The form as saved: no signing time (the server records one when the request is finally sent). */
export function toDraftContent(draft: RequestDraft): Partial<RemovalRequestInput> {
  const { input } = toRequestInput(draft, '');
  const content: Partial<RemovalRequestInput> = { ...input, signature: { fullName: input.signature.fullName } as RemovalRequestInput['signature'] };
  if (draft.role === '') delete content.requester;
  return content;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The form's state from a saved request; pictures come back as their fingerprints (the files stay on the
 * device), named by `nameOf` in the reader's language.
 */
export function fromDraftContent(content: Record<string, unknown>, nameOf: (kind: 'image' | 'video', number: number) => string): RequestDraft {
  const draft = emptyDraft();
  const requester = record(content.requester);
  if (requester.role === 'self' || requester.role === 'representative') draft.role = requester.role;
  draft.fullName = text(requester.fullName);
  draft.relationship = text(requester.relationship);
  draft.depictedPersonName = text(requester.depictedPersonName);
  const contact = record(content.contact);
  draft.email = text(contact.email);
  draft.phone = text(contact.phone);
  const goodFaith = record(content.goodFaith);
  draft.goodFaithAffirmed = goodFaith.affirmed === true;
  draft.goodFaithStatement = text(goodFaith.statement);
  draft.signatureName = text(record(content.signature).fullName);
  draft.under18 = content.under18WhenMade === true ? 'yes' : content.under18WhenMade === false ? 'no' : '';
  draft.notifyByEmail = record(content.notify).email === true;
  draft.location = REQUESTER_LOCATIONS.find((code) => code === content.jurisdiction) ?? '';
  const items = Array.isArray(content.items) ? (content.items as ItemInput[]) : [];
  const links: string[] = [];
  const pictures: PictureEntry[] = [];
  for (const item of items) {
    const linkIndex = item.url ? links.push(item.url) - 1 : null;
    const hashes = record(item.hashes);
    if (typeof hashes.md5 === 'string' && typeof hashes.sha256 === 'string') {
      const kind = item.mediaType === 'video' ? 'video' : 'image';
      pictures.push({
        key: `saved-${pictures.length}`,
        name: nameOf(kind, pictures.length + 1),
        size: 0,
        kind,
        status: 'done',
        hashes: hashes as unknown as PictureEntry['hashes'],
        linkIndex,
      });
    }
  }
  draft.links = links.length > 0 ? links : [''];
  draft.pictures = pictures;
  return draft;
}

export async function saveDraft(draft: RequestDraft, token: string | undefined): Promise<SavedDraftState & { draftToken: string }> {
  const body = toDraftContent(draft);
  if (token) {
    const state = await api<SavedDraftState>('/v1/request-drafts/current', { method: 'PUT', body, headers: { [DRAFT_TOKEN_HEADER]: token } });
    return { ...state, draftToken: token };
  }
  return api<SavedDraftState & { draftToken: string }>('/v1/request-drafts', { method: 'POST', body });
}

export async function loadDraft(token: string): Promise<SavedDraftState & { content: Record<string, unknown> }> {
  return api('/v1/request-drafts/current', { headers: { [DRAFT_TOKEN_HEADER]: token } });
}
