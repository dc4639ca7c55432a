/**
 * Sending the request, then (only if the person opted in) the copies of the pictures for reviewers.
 * The pictures travel only in the second step, each to its own item, authenticated by the case number and PIN.
 */
import type { RemovalRequestInput } from '@takedown/core';
import { api } from '../../shared/api.ts';
import { mediaKindOf } from '../../hashing/file-checks.ts';
import type { ItemSource } from './draft.ts';
import { DRAFT_TOKEN_HEADER } from './saved-draft.ts';

export interface CreatedCase {
  caseNumber: string;
  pin: string;
  items: { id: string; deadline: string }[];
}

export interface SubmittedCase extends CreatedCase {
  /** Copies the person chose to share that could not be uploaded (the request itself was still received). */
  uploadFailures: number;
  sharedCopies: number;
  /** The person shown was under 18 when it was made: the confirmation shows NCMEC's routes again. */
  under18: boolean;
}

export const PIN_HEADER = 'Takedown-Case-Pin';

export async function submitRequest(
  input: RemovalRequestInput,
  sources: ItemSource[],
  files: Map<string, File>,
  /** The code of a saved request being finished: the saved request becomes this one, and is deleted. */
  draftToken?: string,
): Promise<SubmittedCase> {
  // Messages to the person use the page's language and show times in their own time zone.
  const language = document.documentElement.lang || navigator.language;
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const body = { ...input, language, timeZone };
  const created = draftToken
    ? await api<CreatedCase>('/v1/request-drafts/current/submit', { method: 'POST', body, headers: { [DRAFT_TOKEN_HEADER]: draftToken } })
    : await api<CreatedCase>('/v1/requests', { method: 'POST', body });
  let uploadFailures = 0;
  let sharedCopies = 0;
  if (input.shareMedia) {
    for (const [index, source] of sources.entries()) {
      const file = source.pictureKey ? files.get(source.pictureKey) : undefined;
      const item = created.items[index];
      // Only pictures are shared: reviewers' previews are made from pictures. Videos never leave the device.
      if (!file || !item || mediaKindOf(file) !== 'image') continue;
      try {
        await api(`/v1/cases/${encodeURIComponent(created.caseNumber)}/items/${encodeURIComponent(item.id)}/media`, {
          method: 'POST',
          rawBody: file,
          headers: { [PIN_HEADER]: created.pin },
        });
        sharedCopies++;
      } catch {
        uploadFailures++;
      }
    }
  }
  return { ...created, uploadFailures, sharedCopies, under18: input.under18WhenMade === true };
}
