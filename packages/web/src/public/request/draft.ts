/**
 * The request form's data while the person fills it in, the checks made before each "Next", and the
 * conversion to the RemovalRequestInput the server takes. Pure: no DOM, no network.
 */
import { DEFAULT_REQUEST_LIMITS, isAllowedSigner, normaliseEmail, normalisePhone, normaliseWebAddress } from '@takedown/core';
import type { FieldError, ItemInput, RemovalRequestInput, RequesterRole, VpdqFrame } from '@takedown/core';
import { publicCatalogues } from '../../i18n/public-catalogues.ts';
import type { PublicId } from '../i18n.ts';

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
  /** Why the file could not be used, as a message of the page (translated when shown). */
  error?: { id: PublicId; values: Record<string, string> };
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
  /** Tell me what happens by email (needs an email address). */
  notifyByEmail: boolean;
  phone: string;
  signatureName: string;
  /** "Was the person in the pictures under 18 when they were made?" Not one of the law's elements: optional. */
  under18: '' | 'yes' | 'no' | 'unsure';
  /** Where the person lives, if they say: one input to the rules the request runs under (decisions/020). */
  location: '' | RequesterLocation;
}

/** The places the form offers; a deployment's own jurisdiction codes stay API-only. */
export const REQUESTER_LOCATIONS = ['US', 'EU', 'UK', 'AU'] as const;
export type RequesterLocation = (typeof REQUESTER_LOCATIONS)[number];

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
  notifyByEmail: false,
  phone: '',
  signatureName: '',
  under18: '',
  location: '',
});

export const STEPS = [
  { id: 'about', title: 'step.about' },
  { id: 'links', title: 'step.links' },
  { id: 'pictures', title: 'step.pictures' },
  { id: 'statement', title: 'step.statement' },
  { id: 'contact', title: 'step.contact' },
  { id: 'sign', title: 'step.sign' },
  { id: 'review', title: 'step.review' },
] as const satisfies readonly { id: string; title: PublicId }[];
export type StepId = (typeof STEPS)[number]['id'];

/**
 * A problem on one field: core's `FieldError` (code, and English words the same as the server's), plus the
 * message the page shows, in the reader's language.
 */
export interface FormProblem extends FieldError {
  messageId: PublicId;
  values?: Record<string, string>;
}

const filledLinks = (draft: RequestDraft) => draft.links.map((l) => l.trim()).filter((l) => l !== '');

// Links, email addresses and phone numbers are checked by core's own rules (the ones the server applies), so
// the form never accepts what the server then refuses, nor refuses what it would take.
const limits = DEFAULT_REQUEST_LIMITS;

/** The page's words for what core's normalisers found, by their code. */
const NORMALISE_MESSAGES: Record<'links' | 'email' | 'phone', Record<string, PublicId>> = {
  links: { too_long: 'check.linkTooLong', invalid_url: 'check.linkInvalid' },
  email: { too_long: 'check.emailTooLong', invalid_email: 'check.emailInvalid' },
  phone: { invalid_phone: 'check.phoneInvalid' },
};

/** Problems on one step, each tied to the form field that needs fixing. */
export function checkStep(draft: RequestDraft, step: StepId): FormProblem[] {
  const errors: FormProblem[] = [];
  const add = (field: string, code: string, messageId: PublicId, values?: Record<string, string>) =>
    errors.push({ field, code, message: publicCatalogues.en[messageId].replace(/\{(\w+)\}/g, (_: string, name: string) => values?.[name] ?? ''), messageId, values });
  const addNormalised = (field: string, kind: keyof typeof NORMALISE_MESSAGES, result: { code: string; message: string }) =>
    errors.push({ field, code: result.code, message: result.message, messageId: NORMALISE_MESSAGES[kind][result.code] ?? 'fieldError.invalid' });
  switch (step) {
    case 'about':
      if (!draft.role) add('requester.role', 'required', 'check.role');
      if (!draft.fullName.trim()) add('requester.fullName', 'required', 'check.fullName');
      if (draft.role === 'representative') {
        if (!draft.relationship.trim()) add('requester.relationship', 'required', 'check.relationship');
        if (!draft.depictedPersonName.trim()) add('requester.depictedPersonName', 'required', 'check.depictedName');
      }
      break;
    case 'links':
      draft.links.forEach((link, index) => {
        if (!link.trim()) return;
        const url = normaliseWebAddress(link, limits.maxUrlLength);
        if (!url.ok) addNormalised(`links.${index}`, 'links', url);
      });
      break;
    case 'pictures':
      if (draft.pictures.some((p) => p.status === 'hashing')) add('pictures', 'still_hashing', 'check.stillHashing');
      for (const picture of draft.pictures) {
        if (picture.status === 'error') add(`pictures.${picture.key}`, 'picture_error', 'check.pictureError', { name: picture.name });
      }
      if (filledLinks(draft).length === 0 && !draft.pictures.some((p) => p.status === 'done')) {
        add('items', 'required', 'check.itemsRequired');
      }
      break;
    case 'statement':
      if (!draft.goodFaithAffirmed) add('goodFaith.affirmed', 'required', 'check.goodFaith');
      if (!draft.goodFaithStatement.trim()) add('goodFaith.statement', 'required', 'check.statement');
      break;
    case 'contact':
      if (!draft.email.trim() && !draft.phone.trim()) add('contact', 'required', 'check.contact');
      if (draft.email.trim()) {
        const email = normaliseEmail(draft.email, limits.maxEmailLength);
        if (!email.ok) addNormalised('contact.email', 'email', email);
      }
      if (draft.phone.trim()) {
        const phone = normalisePhone(draft.phone);
        if (!phone.ok) addNormalised('contact.phone', 'phone', phone);
      }
      break;
    case 'sign':
      if (!draft.signatureName.trim()) add('signature.fullName', 'required', 'check.signature');
      else if (!isAllowedSigner(draft.signatureName, { role: draft.role === '' ? 'self' : draft.role, fullName: draft.fullName, depictedPersonName: draft.depictedPersonName })) {
        // §3(a)(1)(B)(i): the person shown, or someone acting for them. The server applies the same rule.
        add('signature.fullName', 'name_mismatch', 'check.signatureMismatch', { name: draft.fullName.trim() });
      }
      break;
    case 'review':
      break;
  }
  return errors;
}

/** Problems on every step, in step order. */
export function checkAll(draft: RequestDraft): FormProblem[] {
  return STEPS.flatMap((s) => checkStep(draft, s.id));
}

/** Where each request item came from, so server errors about `items.N` land on the right form field. */
export type ItemSource = { kind: 'link'; linkIndex: number; pictureKey?: string } | { kind: 'picture'; pictureKey: string };

/**
 * Builds the request body. Each link is one item; a picture joins the item of the link it was posted at.
 * `signedStatement` is the text the person signed (§3(a)(1)(B)(i)), sent exactly as the page showed it, in
 * the person's language.
 */
export function toRequestInput(
  draft: RequestDraft,
  signedAt: string,
  signedStatement: string = publicCatalogues.en['sign.statement'],
): { input: RemovalRequestInput; sources: ItemSource[] } {
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
    signature: { fullName: draft.signatureName.trim(), signedAt, statement: signedStatement },
    items,
    // A picture of someone under 18 is never sent as a copy.
    shareMedia: draft.under18 !== 'yes' && draft.shareMedia && draft.pictures.some((p) => p.status === 'done' && p.kind === 'image'),
    ...(draft.under18 === 'yes' || draft.under18 === 'no' ? { under18WhenMade: draft.under18 === 'yes' } : {}),
    ...(draft.location ? { jurisdiction: draft.location } : {}),
    notify: { email: draft.notifyByEmail && draft.email.trim() !== '' },
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

/**
 * A link as the person may paste it, with `https://` added when it has no scheme (`example.com/x` →
 * `https://example.com/x`, `//example.com/x` → `https://example.com/x`). Anything else is returned as it
 * is, for the usual check to word. Returns whether it added the scheme, so the page can say so.
 */
export function withHttps(text: string): { link: string; added: boolean } {
  const trimmed = text.trim();
  if (trimmed === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return { link: text, added: false };
  if (trimmed.startsWith('//')) return { link: `https:${trimmed}`, added: true };
  // A site name first: letters, digits or hyphens with at least one dot, then a port, path, query or nothing.
  if (/^(www\.)?[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+(:\d+)?([/?#]\S*)?$/u.test(trimmed)) return { link: `https://${trimmed}`, added: true };
  return { link: text, added: false };
}

/**
 * The person's own file name for each item of the request, in the order the request sends the items (null for
 * an item that is a link only): kept in this tab so the status page can name items as the person knows them.
 */
export function itemFileNames(sources: ItemSource[], pictures: PictureEntry[]): (string | null)[] {
  const nameOf = new Map(pictures.map((p) => [p.key, p.name]));
  return sources.map((source) => (source.pictureKey ? (nameOf.get(source.pictureKey) ?? null) : null));
}
