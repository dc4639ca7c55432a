import { type Clock, systemClock } from './clock.ts';
import { normaliseEmail, normalisePhone } from './contact-format.ts';
import { FieldReader } from './field-reader.ts';
import { type JurisdictionConfig, lookupJurisdiction } from './jurisdiction.ts';
import { knownTimeZone, NOTIFY_CHANNELS, requestLanguage } from './request-preferences.ts';
import type {
  ContactInput,
  FieldError,
  GoodFaithInput,
  ItemInput,
  RemovalRequestInput,
  RequesterInput,
  SignatureInput,
} from './request.ts';
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from './request-limits.ts';
import { readItems } from './validate-item.ts';

export interface ValidationOptions {
  /** Reads "now" for the signature-time check. Default: the system clock. */
  clock?: Clock;
  jurisdictions?: JurisdictionConfig;
  limits?: Partial<RequestLimits>;
}

export type RequestValidation = { ok: true; request: RemovalRequestInput } | { ok: false; errors: FieldError[] };
export type AddItemsValidation = { ok: true; items: ItemInput[] } | { ok: false; errors: FieldError[] };

const REQUEST_FIELDS = ['jurisdiction', 'requester', 'contact', 'goodFaith', 'signature', 'items', 'shareMedia', 'under18WhenMade', 'language', 'timeZone', 'notify'] as const;
const REQUESTER_FIELDS = ['role', 'fullName', 'relationship', 'depictedPersonName'] as const;
const CONTACT_FIELDS = ['email', 'phone'] as const;
const GOOD_FAITH_FIELDS = ['affirmed', 'statement'] as const;
const SIGNATURE_FIELDS = ['fullName', 'signedAt', 'statement'] as const;
const ROLES = ['self', 'representative'] as const;

// ISO 8601 date and time with an explicit offset: a signature time without a zone is ambiguous by hours,
// which matters against a 24-hour clock.
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Checks a removal request against §3(a)(1)(B) of the TAKE IT DOWN Act and returns it normalised (trimmed text,
 * lowercase hashes, E.164 phone, parsed URLs, the jurisdiction code spelled out), or every problem by field.
 * @example
 * const result = validateRemovalRequest(JSON.parse(body));
 * if (!result.ok) return reply.code(400).send({ error: { code: 'invalid_request', errors: result.errors } });
 */
export function validateRemovalRequest(input: unknown, options: ValidationOptions = {}): RequestValidation {
  const limits = { ...DEFAULT_REQUEST_LIMITS, ...options.limits };
  const now = (options.clock ?? systemClock).now();
  const reader = new FieldReader();
  const body = reader.object(input, '', 'the request');
  if (body === undefined) return { ok: false, errors: reader.errors };
  reader.onlyKnownFields(body, REQUEST_FIELDS, '');

  const jurisdiction = readJurisdiction(reader, body.jurisdiction, options.jurisdictions);
  const requester = readRequester(reader, body.requester, limits); // §3(a)(1)(A): identifiable individual or agent
  const contact = readContact(reader, body.contact, limits); // §3(a)(1)(B)(iv)
  const goodFaith = readGoodFaith(reader, body.goodFaith, limits); // §3(a)(1)(B)(iii)
  const signature = readSignature(reader, body.signature, limits, now); // §3(a)(1)(B)(i)
  if (signature !== undefined && requester !== undefined) checkSigner(reader, signature, requester);
  const items = readItems(reader, body.items, 'items', limits); // §3(a)(1)(B)(ii)
  const shareMedia = reader.boolean(body.shareMedia, 'shareMedia', 'sharing the media');
  const under18WhenMade = reader.boolean(body.under18WhenMade, 'under18WhenMade', 'whether the person shown was under 18 when it was made');
  const language = reader.text(body.language, 'language', 'the language', 35, false);
  const timeZone = reader.text(body.timeZone, 'timeZone', 'the time zone', 64, false);
  const notify = readNotify(reader, body.notify);

  if (reader.errors.length > 0) return { ok: false, errors: reader.errors };
  const request: RemovalRequestInput = {
    ...(jurisdiction !== undefined && { jurisdiction }),
    requester: requester!,
    contact: contact!,
    goodFaith: goodFaith!,
    signature: signature!,
    items,
    // Imagery of a minor is never copied, whatever was ticked: normalised, not refused (it is not a §3 element).
    shareMedia: under18WhenMade === true ? false : (shareMedia ?? false),
    // Preferences, not conditions: an unknown language is read as English, an unknown zone as UTC, and
    // email notices need an email address to go to.
    language: requestLanguage(language),
    ...(knownTimeZone(timeZone) && { timeZone: knownTimeZone(timeZone) }),
    notify: { email: Boolean(notify?.email && contact?.email) },
  };
  if (under18WhenMade !== undefined) request.under18WhenMade = under18WhenMade;
  return { ok: true, request };
}

/**
 * Checks `{ items: [...] }` sent to add depictions to an existing case. Pass the case's current items as
 * `existingItems` so repeats are caught and the case stays within the item limit.
 */
export function validateAddItems(
  input: unknown,
  options: { existingItems?: readonly ItemInput[]; limits?: Partial<RequestLimits> } = {},
): AddItemsValidation {
  const limits = { ...DEFAULT_REQUEST_LIMITS, ...options.limits };
  const reader = new FieldReader();
  const body = reader.object(input, '', 'the addition');
  if (body === undefined) return { ok: false, errors: reader.errors };
  reader.onlyKnownFields(body, ['items'], '');
  const items = readItems(reader, body.items, 'items', limits, options.existingItems ?? []);
  if (reader.errors.length > 0) return { ok: false, errors: reader.errors };
  return { ok: true, items };
}

function readNotify(reader: FieldReader, value: unknown): { email?: boolean } | undefined {
  const object = reader.object(value, 'notify', 'how to tell you what happens', false);
  if (object === undefined) return undefined;
  reader.onlyKnownFields(object, NOTIFY_CHANNELS, 'notify');
  return { email: reader.boolean(object.email, 'notify.email', 'whether to tell you by email') };
}

function readJurisdiction(reader: FieldReader, value: unknown, config: JurisdictionConfig | undefined): string | undefined {
  const code = reader.text(value, 'jurisdiction', 'the jurisdiction', 16, false);
  // Not stated: left unset, so the platform's setting or the deployment default decides (decideJurisdiction).
  if (code === undefined) return undefined;
  const found = lookupJurisdiction(code, config);
  if (!found.ok) {
    reader.errors.push(found.error);
    return undefined;
  }
  return found.rules.code;
}

function readRequester(reader: FieldReader, value: unknown, limits: RequestLimits): RequesterInput | undefined {
  const object = reader.object(value, 'requester', 'who is making the request');
  if (object === undefined) return undefined;
  reader.onlyKnownFields(object, REQUESTER_FIELDS, 'requester');
  const role = reader.choice(object.role, 'requester.role', 'whether you are the person shown or acting for them', ROLES, true);
  const fullName = reader.text(object.fullName, 'requester.fullName', 'your full name', limits.maxNameLength, true);
  const relationship = reader.text(
    object.relationship,
    'requester.relationship',
    'how you are related to the person shown (for example parent, lawyer, guardian)',
    limits.maxNameLength,
    role === 'representative',
  );
  const depictedPersonName = reader.text(
    object.depictedPersonName,
    'requester.depictedPersonName',
    'the full name of the person shown',
    limits.maxNameLength,
    role === 'representative',
  );
  if (role === 'self') {
    // A form may keep these fields from an earlier choice; only a value that contradicts "self" is an error.
    if (relationship !== undefined) {
      reader.add('requester.relationship', 'only_for_representatives', 'A relationship is only needed when you act for someone else. Please clear it, or choose "representative".');
    }
    if (depictedPersonName !== undefined) {
      reader.add('requester.depictedPersonName', 'only_for_representatives', 'The name of the person shown is only needed when you act for someone else. Please clear it, or choose "representative".');
    }
  }
  if (role === undefined || fullName === undefined) return undefined;
  const requester: RequesterInput = { role, fullName };
  if (role === 'representative') {
    if (relationship === undefined || depictedPersonName === undefined) return undefined;
    requester.relationship = relationship;
    requester.depictedPersonName = depictedPersonName;
  }
  return requester;
}

function readContact(reader: FieldReader, value: unknown, limits: RequestLimits): ContactInput | undefined {
  const object = reader.object(value, 'contact', 'how we can contact you (an email address or a phone number)');
  if (object === undefined) return undefined;
  reader.onlyKnownFields(object, CONTACT_FIELDS, 'contact');
  const before = reader.errors.length;
  const contact: ContactInput = {};
  const emailText = reader.text(object.email, 'contact.email', 'your email address', limits.maxEmailLength, false);
  if (emailText !== undefined) {
    const email = normaliseEmail(emailText, limits.maxEmailLength);
    if (email.ok) contact.email = email.value;
    else reader.add('contact.email', email.code, email.message);
  }
  const phoneText = reader.text(object.phone, 'contact.phone', 'your phone number', 40, false);
  if (phoneText !== undefined) {
    const phone = normalisePhone(phoneText);
    if (phone.ok) contact.phone = phone.value;
    else reader.add('contact.phone', phone.code, phone.message);
  }
  if (reader.errors.length > before) return undefined;
  if (contact.email === undefined && contact.phone === undefined) {
    reader.add('contact', 'contact_required', 'Please give an email address or a phone number (or both) so we can tell you what happens.');
    return undefined;
  }
  return contact;
}

function readGoodFaith(reader: FieldReader, value: unknown, limits: RequestLimits): GoodFaithInput | undefined {
  const object = reader.object(value, 'goodFaith', 'the statement that this was shared without consent');
  if (object === undefined) return undefined;
  reader.onlyKnownFields(object, GOOD_FAITH_FIELDS, 'goodFaith');
  if (object.affirmed !== true) {
    if (object.affirmed !== undefined && object.affirmed !== null && typeof object.affirmed !== 'boolean') {
      reader.add('goodFaith.affirmed', 'wrong_type', 'The good-faith confirmation should be true or false.');
    } else {
      reader.add(
        'goodFaith.affirmed',
        'must_affirm',
        'Please tick the box to confirm you believe in good faith that this was shared without consent. The law needs this statement to act on a request.',
      );
    }
  }
  const statement = reader.text(
    object.statement,
    'goodFaith.statement',
    'a few words on why you believe this was shared without consent',
    limits.maxStatementLength,
    true,
  );
  if (object.affirmed !== true || statement === undefined) return undefined;
  return { affirmed: true, statement };
}

function readSignature(reader: FieldReader, value: unknown, limits: RequestLimits, now: Date): SignatureInput | undefined {
  const object = reader.object(value, 'signature', 'your signature');
  if (object === undefined) return undefined;
  reader.onlyKnownFields(object, SIGNATURE_FIELDS, 'signature');
  const fullName = reader.text(object.fullName, 'signature.fullName', 'your full name to sign the request', limits.maxNameLength, true);
  // A typed name is an electronic signature: what was signed and when are recorded, never demanded.
  const statement = reader.text(object.statement, 'signature.statement', 'the statement you are signing', limits.maxStatementLength, false) ?? SIGNED_BY_TYPING;
  const signedAtText = reader.text(object.signedAt, 'signature.signedAt', 'the date and time of signing', 64, false);
  let signedAt: string | undefined = signedAtText === undefined ? now.toISOString() : undefined;
  if (signedAtText !== undefined) {
    const parsed = parseIsoDateTime(signedAtText);
    if (parsed === undefined) {
      reader.add(
        'signature.signedAt',
        'invalid_date',
        'The signing time should be a date and time with a time zone, such as 2026-05-19T14:30:00Z.',
      );
    } else if (parsed.getTime() > now.getTime() + limits.signatureFutureSkewMs) {
      reader.add(
        'signature.signedAt',
        'date_in_future',
        "The signing time is in the future. Please check your device's date and time, then sign again.",
      );
    } else {
      signedAt = parsed.toISOString();
    }
  }
  if (fullName === undefined || statement === undefined || signedAt === undefined) return undefined;
  return { fullName, signedAt, statement };
}

/** What a signature signs when the form sent no statement of its own. */
export const SIGNED_BY_TYPING = 'I sign this request by typing my full name.';

/** A name as people write it in different ways: case, accents, dots and spacing do not matter. */
function comparableName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[.,'’`-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Whether `signatureName` may sign for this requester (§3(a)(1)(B)(i)): the requester's own name or, for a
 * representative, the name of the person they act for, however it is written (case, accents, dots, spacing).
 * The form uses it too, so it never refuses what the server takes.
 */
export function isAllowedSigner(signatureName: string, requester: Pick<RequesterInput, 'role' | 'fullName' | 'depictedPersonName'>): boolean {
  const signer = comparableName(signatureName);
  const allowed = [requester.fullName, requester.role === 'representative' ? requester.depictedPersonName : undefined];
  return allowed.some((name) => name !== undefined && name.trim() !== '' && comparableName(name) === signer);
}

/**
 * §3(a)(1)(B)(i): the signature must be that of the person depicted, or of someone authorised to act for them.
 * So the signer is the requester (the person shown, or their representative who says whom they act for) or,
 * for a representative, the person they act for.
 */
function checkSigner(reader: FieldReader, signature: SignatureInput, requester: RequesterInput): void {
  if (isAllowedSigner(signature.fullName, requester)) return;
  reader.add(
    'signature.fullName',
    'signer_not_requester',
    requester.role === 'self'
      ? 'Please sign with your own full name, as you wrote it above. Only the person shown, or someone acting for them, can sign.'
      : 'Please sign with your own full name, as you wrote it above, or with the name of the person you act for. No one else can sign.',
  );
}

/** A real calendar date and time (rejects 2026-02-30 and 25:00, which `Date.parse` would roll over or refuse). */
function parseIsoDateTime(text: string): Date | undefined {
  const match = ISO_DATE_TIME.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second = '0', zone] = match;
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  if (zone !== 'Z') {
    const [offsetHours, offsetMinutes] = zone.slice(1).split(':').map(Number);
    if (offsetHours > 14 || offsetMinutes > 59) return undefined;
  }
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
