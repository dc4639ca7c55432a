/**
 * The request form's data while the person fills it in, the checks made before each "Next", and the
 * conversion to the RemovalRequestInput the server takes. Pure: no DOM, no network.
 */
import { DEFAULT_REQUEST_LIMITS, isAllowedSigner, normaliseEmail, normalisePhone, normaliseWebAddress } from '@takedown/core';
import type { FieldError, ItemInput, RemovalRequestInput, RequesterRole, VpdqFrame } from '@takedown/core';

export interface PictureEntry {
  /** Stable key for React and for error fields ("pictures.<key>"). */
  key: string;
  name: string;
  size: number;
  kind: 'image' | 'video';
  status: 'hashing' | 'done' | 'error';
  /** Pictures: PDQ, MD5, SHA-256. Videos: vPDQ (one PDQ hash per second of video), MD5, SHA-256. */
  hashes?: { pdq?: string; pdqQuality?: number; md5: string; sha256: string; vpdq?: VpdqFrame[] };
  /** While a video is hashed: frames done and to do. */
  progress?: { done: number; total: number };
  error?: string;
  /** The decoder's own words when hashing failed (kept for support and tests; the person sees `error`). */
  errorDetail?: string;
  /** Index into `links` of the link where this picture is posted, or null if the person did not say. */
  linkIndex: number | null;
}

export interface RequestDraft {
  role: RequesterRole | '';
  fullName: string;
  relationship: string;
  depictedPersonName: string;
  links: string[];
  pictures: PictureEntry[];
  shareMedia: boolean;
  goodFaithAffirmed: boolean;
  goodFaithStatement: string;
  email: string;
  phone: string;
  signatureName: string;
  /** "Was the person in the pictures under 18 when they were made?" Not one of the law's elements: optional. */
  under18: '' | 'yes' | 'no' | 'unsure';
}

export const emptyDraft = (): RequestDraft => ({
  role: '',
  fullName: '',
  relationship: '',
  depictedPersonName: '',
  links: [''],
  pictures: [],
  shareMedia: false,
  goodFaithAffirmed: false,
  goodFaithStatement: '',
  email: '',
  phone: '',
  signatureName: '',
  under18: '',
});

export const STEPS = [
  { id: 'about', title: 'About you' },
  { id: 'links', title: 'Where it is' },
  { id: 'pictures', title: 'The pictures' },
  { id: 'statement', title: 'Your statement' },
  { id: 'contact', title: 'How to reach you' },
  { id: 'sign', title: 'Sign' },
  { id: 'review', title: 'Check and send' },
] as const;
export type StepId = (typeof STEPS)[number]['id'];

/** The text the person signs (§3(a)(1)(B)(i)); sent with the request exactly as shown. */
export const SIGNED_STATEMENT =
  'I believe in good faith that the pictures or videos listed in this request show me (or the person I act ' +
  'for) and were shared without consent. The information in this request is true to the best of my knowledge.';

/** The good-faith checkbox label (§3(a)(1)(B)(iii)). */
export const GOOD_FAITH_LABEL = 'I believe in good faith that this was shared without consent.';

const filledLinks = (draft: RequestDraft) => draft.links.map((l) => l.trim()).filter((l) => l !== '');

// Links, email addresses and phone numbers are checked by core's own rules (the ones the server applies), so
// the form never accepts what the server then refuses, nor refuses what it would take.
const limits = DEFAULT_REQUEST_LIMITS;

/** Problems on one step, each tied to the form field that needs fixing. */
export function checkStep(draft: RequestDraft, step: StepId): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, code: string, message: string) => errors.push({ field, code, message });
  switch (step) {
    case 'about':
      if (!draft.role) add('requester.role', 'required', 'Choose who you are: the person in the pictures, or someone acting for them.');
      if (!draft.fullName.trim()) add('requester.fullName', 'required', 'Type your full name.');
      if (draft.role === 'representative') {
        if (!draft.relationship.trim()) add('requester.relationship', 'required', 'Say how you are connected to the person, for example "parent" or "lawyer".');
        if (!draft.depictedPersonName.trim()) add('requester.depictedPersonName', 'required', 'Type the name of the person in the pictures.');
      }
      break;
    case 'links':
      draft.links.forEach((link, index) => {
        if (!link.trim()) return;
        const url = normaliseWebAddress(link, limits.maxUrlLength);
        if (!url.ok) add(`links.${index}`, url.code, url.message);
      });
      break;
    case 'pictures':
      if (draft.pictures.some((p) => p.status === 'hashing')) add('pictures', 'still_hashing', 'Wait until every picture says "Ready".');
      for (const picture of draft.pictures) {
        if (picture.status === 'error') add(`pictures.${picture.key}`, 'picture_error', `Remove "${picture.name}" or choose another file.`);
      }
      if (filledLinks(draft).length === 0 && !draft.pictures.some((p) => p.status === 'done')) {
        add('items', 'required', 'Add at least one link (on the previous step) or one picture, so we can find what to remove.');
      }
      break;
    case 'statement':
      if (!draft.goodFaithAffirmed) add('goodFaith.affirmed', 'required', 'Tick the box to confirm this was shared without consent.');
      if (!draft.goodFaithStatement.trim()) add('goodFaith.statement', 'required', 'Write a few words about what happened. One sentence is enough.');
      break;
    case 'contact':
      if (!draft.email.trim() && !draft.phone.trim()) {
        add('contact', 'required', 'Give an email address or a phone number, so we can tell you what happens.');
      }
      if (draft.email.trim()) {
        const email = normaliseEmail(draft.email, limits.maxEmailLength);
        if (!email.ok) add('contact.email', email.code, email.message);
      }
      if (draft.phone.trim()) {
        const phone = normalisePhone(draft.phone);
        if (!phone.ok) add('contact.phone', phone.code, phone.message);
      }
      break;
    case 'sign':
      if (!draft.signatureName.trim()) add('signature.fullName', 'required', 'Type your full name to sign.');
      else if (!isAllowedSigner(draft.signatureName, { role: draft.role === '' ? 'self' : draft.role, fullName: draft.fullName, depictedPersonName: draft.depictedPersonName })) {
        // §3(a)(1)(B)(i): the person shown, or someone acting for them. The server applies the same rule.
        add('signature.fullName', 'name_mismatch', `Type your name the same way as on the first step: ${draft.fullName.trim()}`);
      }
      break;
    case 'review':
      break;
  }
  return errors;
}

/** Problems on every step, in step order. */
export function checkAll(draft: RequestDraft): FieldError[] {
  return STEPS.flatMap((s) => checkStep(draft, s.id));
}

/** Where each request item came from, so server errors about `items.N` land on the right form field. */
export type ItemSource = { kind: 'link'; linkIndex: number; pictureKey?: string } | { kind: 'picture'; pictureKey: string };

/** Builds the request body. Each link is one item; a picture joins the item of the link it was posted at. */
export function toRequestInput(draft: RequestDraft, signedAt: string): { input: RemovalRequestInput; sources: ItemSource[] } {
  const items: ItemInput[] = [];
  const sources: ItemSource[] = [];
  const itemOfLink = new Map<number, number>();
  draft.links.forEach((link, linkIndex) => {
    if (!link.trim()) return;
    itemOfLink.set(linkIndex, items.length);
    items.push({ url: link.trim() });
    sources.push({ kind: 'link', linkIndex });
  });
  for (const picture of draft.pictures) {
    if (picture.status !== 'done' || !picture.hashes) continue;
    const hashes = { ...picture.hashes };
    const joined = picture.linkIndex === null ? undefined : itemOfLink.get(picture.linkIndex);
    if (joined !== undefined && !items[joined].hashes) {
      items[joined] = { ...items[joined], hashes, mediaType: picture.kind };
      sources[joined] = { kind: 'link', linkIndex: (sources[joined] as { linkIndex: number }).linkIndex, pictureKey: picture.key };
    } else {
      items.push({ hashes, mediaType: picture.kind });
      sources.push({ kind: 'picture', pictureKey: picture.key });
    }
  }
  const representative = draft.role === 'representative';
  const input: RemovalRequestInput = {
    requester: {
      role: draft.role === '' ? 'self' : draft.role,
      fullName: draft.fullName.trim(),
      ...(representative ? { relationship: draft.relationship.trim(), depictedPersonName: draft.depictedPersonName.trim() } : {}),
    },
    contact: {
      ...(draft.email.trim() ? { email: draft.email.trim() } : {}),
      ...(draft.phone.trim() ? { phone: draft.phone.trim() } : {}),
    },
    goodFaith: { affirmed: draft.goodFaithAffirmed, statement: draft.goodFaithStatement.trim() },
    signature: { fullName: draft.signatureName.trim(), signedAt, statement: SIGNED_STATEMENT },
    items,
    // A picture of someone under 18 is never sent as a copy.
    shareMedia: draft.under18 !== 'yes' && draft.shareMedia && draft.pictures.some((p) => p.status === 'done' && p.kind === 'image'),
    ...(draft.under18 === 'yes' || draft.under18 === 'no' ? { under18WhenMade: draft.under18 === 'yes' } : {}),
  };
  return { input, sources };
}

/** Maps a server field path (e.g. `items.1.url`) to the form field that shows it. */
export function formFieldOf(serverField: string, sources: ItemSource[]): string {
  const match = /^items\.(\d+)(?:\.(.*))?$/.exec(serverField);
  if (!match) return serverField;
  const source = sources[Number(match[1])];
  if (!source) return 'items';
  const rest = match[2] ?? '';
  if (source.kind === 'link' && (rest === '' || rest.startsWith('url') || !source.pictureKey)) return `links.${source.linkIndex}`;
  return `pictures.${source.kind === 'link' ? source.pictureKey : source.pictureKey}`;
}

/** The step that holds a form field, so the form can jump back to it. */
export function stepOfField(field: string): StepId {
  if (field.startsWith('requester')) return 'about';
  if (field.startsWith('links')) return 'links';
  if (field.startsWith('pictures') || field === 'items' || field.startsWith('items') || field === 'shareMedia') return 'pictures';
  if (field.startsWith('goodFaith')) return 'statement';
  if (field.startsWith('contact')) return 'contact';
  if (field.startsWith('signature')) return 'sign';
  return 'review';
}
