import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DEFAULT_REQUEST_LIMITS, normaliseCaseNumber, validateRemovalRequest, type Clock } from '@takedown/core';
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { Type } from 'typebox';
import { withdrawItem } from '../../services/withdraw-item.ts';
import { addItems, viewCase, withdrawCase, type PinAttempt, type RequesterContext, type RequesterResult } from '../../services/requester-case.ts';
import { submitRequest } from '../../services/intake.ts';
import { NotifierSuspendedError } from '../../services/notifier-safeguards.ts';
import { NO_BODY_BYTES } from '../body-limits.ts';
import { HttpError, incompleteRequest, invalidRequest } from '../errors.ts';
import { waitBeforeGuessing, wrongPin } from '../guess-answers.ts';
import { DateTime, errors, Hashes, Timestamp, Uuid } from '../schemas.ts';
import { hashFields, itemHashTypes } from '../schemas/hash-fields.ts';
import { PlainText, VisibleText } from '../schemas/plain-text.ts';

/** The person asking for a removal reads this one on the form: say what to do, in plain words. */
const tooMuchAtOnce = () =>
  'This is more than we can take at once, usually because of very long videos. Please send this request with fewer videos, then make a new request for the others.';

/**
 * DSA Art. 23: the notifier is suspended for a while after repeated manifestly unfounded notices. Calm, with
 * when they can ask again and how to contest it; a request about someone under 18 is always taken.
 */
function suspendedAnswer(until: Date, now: Date): HttpError {
  const day = until.toISOString().slice(0, 10);
  return new HttpError(
    403,
    'notifier_suspended',
    `We cannot take new requests from this email address or phone number until ${day}, because several earlier requests from it were found to be clearly unfounded. ` +
      `You can ask again from ${day}. If you think this is a mistake, open one of your earlier requests with its case number and PIN and choose "Ask us to look again": a senior reviewer will read it. ` +
      'If the person shown was under 18 when the images were made, say so in the request: it will be taken.',
    { retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)) },
  );
}

/** For a submission's `.catch`: a suspended notifier's refusal as its HTTP answer; anything else passes on. */
export const answerIfSuspended =
  (clock: Clock) =>
  (error: unknown): never => {
    if (error instanceof NotifierSuspendedError) throw suspendedAnswer(error.until, clock.now());
    throw error;
  };

/** The header that carries the case PIN: never in the URL, where it would end up in logs and browser history. */
export const PIN_HEADER = 'takedown-case-pin';

const limits = DEFAULT_REQUEST_LIMITS;

/**
 * A removal request and an addition to a case. Built when the routes are, so that the hashes of every registered
 * signal type are accepted. The schema checks the shape; core's validateRemovalRequest then checks what a schema
 * cannot say (§3(a)(1)(B): a contact, the representative's details, a signer who is the requester or the person
 * they act for, a signature time not in the future, no repeats of the case's items) and normalises (merges
 * repeats within the list, records the receipt time of an undated signature).
 */
function requestSchemas() {
  const Item = Type.Object(
    {
      url: Type.Optional(
        Type.String({
          maxLength: limits.maxUrlLength,
          // Only the scheme here (as core's normaliseWebAddress reads it); core parses the rest.
          pattern: '^\\s*[hH][tT][tT][pP][sS]?:',
          'x-expected': 'a web address starting with https:// or http://',
          description: 'Where the depiction is on the platform.',
        }),
      ),
      // Every signal type's fields but the URL's (the item has its own url).
      hashes: Type.Optional(Type.Object(hashFields(itemHashTypes), { additionalProperties: false })),
      mediaType: Type.Optional(Type.Union([Type.Literal('image'), Type.Literal('video')])),
      publicInterest: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false, description: '§3(a)(1)(B)(ii): a URL and/or hashes; at least one.' },
  );

  const RemovalRequest = Type.Object(
    {
      jurisdiction: Type.Optional(Type.String({ maxLength: 16, description: 'Where the requester is: US, EU, UK, AU or a jurisdiction the deployment configures. The platform setting and the deployment default count too: the shortest clock of those that apply is used (docs/domain.md).' })),
      requester: Type.Object(
        {
          role: Type.Union([Type.Literal('self'), Type.Literal('representative')]),
          fullName: VisibleText({ maxLength: limits.maxNameLength }),
          relationship: Type.Optional(VisibleText({ maxLength: limits.maxNameLength, description: 'Required for a representative.' })),
          depictedPersonName: Type.Optional(VisibleText({ maxLength: limits.maxNameLength, description: 'Required for a representative.' })),
        },
        { additionalProperties: false },
      ),
      contact: Type.Object({ email: Type.Optional(VisibleText({ maxLength: limits.maxEmailLength })), phone: Type.Optional(VisibleText({ maxLength: 40 })) }, { additionalProperties: false, description: '§3(a)(1)(B)(iv): email and/or phone.' }),
      goodFaith: Type.Object(
        { affirmed: Type.Boolean(), statement: Type.String({ maxLength: limits.maxStatementLength }) },
        { additionalProperties: false, description: '§3(a)(1)(B)(iii): the good-faith statement of non-consent.' },
      ),
      signature: Type.Object(
        {
          fullName: VisibleText({ maxLength: limits.maxNameLength, description: 'The requester’s own full name, or (for a representative) the name of the person they act for.' }),
          signedAt: Type.Optional(DateTime),
          statement: Type.Optional(Type.String({ maxLength: limits.maxStatementLength })),
        },
        { additionalProperties: false, description: '§3(a)(1)(B)(i): the electronic signature. A typed name is enough; the server records the time it was received when signedAt is absent.' },
      ),
      items: Type.Array(Item, { minItems: 1, maxItems: limits.maxItems }),
      shareMedia: Type.Optional(Type.Boolean({ description: 'Share a copy with reviewers. Always false when under18WhenMade is true: no copy of a minor is ever kept.' })),
      under18WhenMade: Type.Optional(
        Type.Boolean({ description: 'Was the person shown under 18 when this was made? Optional. True: senior review, no shared copy, and the platform is told of its reporting duty (18 U.S.C. § 2258A).' }),
      ),
      language: Type.Optional(PlainText({ maxLength: 35, description: 'The language of the form (en, it, es, fr, de; others read as en): messages to the requester use it.' })),
      timeZone: Type.Optional(PlainText({ maxLength: 64, description: 'The browser’s IANA time zone, e.g. Europe/Rome: dates in messages are shown in it.' })),
      notify: Type.Optional(Type.Object({ email: Type.Optional(Type.Boolean({ description: 'Tell me what happens by email (receipt, decisions, removals). Needs contact.email.' })) }, { additionalProperties: false })),
    },
    { additionalProperties: false },
  );
  // The store runs core's validateAddItems too: it needs the case's items to catch repeats and the limit.
  const AddItems = Type.Object({ items: Type.Array(Item, { minItems: 1, maxItems: limits.maxItems }) }, { additionalProperties: false });
  return { RemovalRequest, AddItems };
}

/** The answer to a request that is taken: its case number, PIN (once) and each item's deadline. */
export const Submitted = Type.Object({
  caseNumber: Type.String({ description: 'Keep this: with the PIN it opens the case.' }),
  pin: Type.String({ description: 'Shown once, stored only as a keyed hash.' }),
  items: Type.Array(Type.Object({ id: Uuid, deadline: Timestamp })),
});

const CaseStatus = Type.Object({
  caseNumber: Type.String(),
  state: Type.String({ description: 'received, in_review, resolved, withdrawn or rejected' }),
  jurisdiction: Type.String(),
  receivedAt: Timestamp,
  items: Type.Array(
    Type.Object({
      id: Uuid,
      position: Type.Integer(),
      state: Type.String({ description: 'pending, confirmed, removed, declined or withdrawn' }),
      deadline: Timestamp,
      url: Type.Optional(Type.String()),
      mediaType: Type.Optional(Type.Union([Type.Literal('image'), Type.Literal('video')], { description: 'A picture or a video; absent for a link alone. Pages name items by it ("Picture 1", "Video 2", "Link 3").' })),
      reportedBy: Type.Optional(Type.String({ description: 'Set for a copy found by our checks: the platform that reported where it is.' })),
      hashes: Hashes,
      declineReason: Type.Optional(Type.String()),
      removedAt: Type.Optional(Timestamp),
      appeal: Type.Optional(
        Type.Object(
          { state: Type.String({ description: 'open, upheld (the content may go back up) or rejected (the removal stands)' }), openedAt: Timestamp, decidedAt: Type.Optional(Timestamp) },
          { description: 'The uploader appealed the removal: that an appeal exists and how it ended, never who appealed.' },
        ),
      ),
    }),
  ),
  notifier: Type.Optional(
    Type.Object(
      { warnedAt: Type.Optional(Timestamp), suspendedUntil: Type.Optional(Timestamp), contested: Type.Boolean() },
      { description: 'Requests from this contact were found clearly unfounded: a warning, or a suspension until a date (DSA Art. 23); contested: another look was asked for (POST /v1/cases/:caseNumber/contest).' },
    ),
  ),
});

export const CaseParams = Type.Object({ caseNumber: PlainText({ maxLength: 32 }) });
const ItemParams = Type.Object({ caseNumber: PlainText({ maxLength: 32 }), itemId: Uuid });
// Optional in the schema so that a missing PIN gets our own message (requesterArgs), not a schema error.
export const PinHeaders = Type.Object({ [PIN_HEADER]: Type.Optional(PlainText({ maxLength: 32, description: 'Required: the PIN given when the request was made.' })) });

const notFound = () => new HttpError(404, 'not_found', 'No case matches this case number and PIN.');

/** What a PIN throttle's 429 says was too many. */
export const PIN_GUESSES = 'wrong PINs from this address';

/** A requester service's result as the HTTP answer: the value, or the error the caller can act on. */
export function requesterAnswer<T>(result: RequesterResult<T>, now: Date): T {
  switch (result.kind) {
    case 'ok':
      return result.value;
    case 'not_found':
      throw wrongPin(result);
    case 'locked':
      throw waitBeforeGuessing(result.until, now, PIN_GUESSES);
    case 'invalid':
      throw invalidRequest(result.errors);
    case 'closed':
      throw new HttpError(409, 'case_closed', `This case is ${result.state}; it cannot be changed any more.`);
  }
}

/**
 * Refuses a PIN in the address before anything else is read: it would end up in logs and browser history.
 * The address is read as the raw URL, so any spelling of the parameter is caught (pin, PIN, casePin…).
 */
export const refusePinInUrl: onRequestAsyncHookHandler = async (request) => {
  const query = new URL(request.url, 'http://localhost').searchParams;
  if ([...query.keys()].some((key) => key.toLowerCase().includes('pin'))) {
    const message = 'Never put the PIN in the address (it ends up in logs and browser history); send it in the Takedown-Case-Pin header.';
    throw new HttpError(400, 'pin_in_url', message, { field: 'pin', fields: [{ field: 'pin', code: 'pin_in_url', message }] });
  }
};

/** The case number and PIN of a requester's call, normalised, and the address it came from; a missing PIN gets our own message. */
export function requesterArgs(params: { caseNumber: string }, headers: { [PIN_HEADER]?: string }, client: string): PinAttempt {
  const header = headers[PIN_HEADER];
  if (header === undefined) {
    const message = 'Send the case PIN in the Takedown-Case-Pin header.';
    throw new HttpError(400, 'pin_required', message, { field: `headers.${PIN_HEADER}`, fields: [{ field: `headers.${PIN_HEADER}`, code: 'required', message }] });
  }
  const pin = header.trim();
  const caseNumber = normaliseCaseNumber(params.caseNumber);
  // A malformed number or PIN cannot match a case: same answer as a wrong PIN (no enumeration).
  if (!caseNumber || !/^\d{4,12}$/.test(pin)) throw notFound();
  return { caseNumber, pin, client };
}

/** The requester's side: make a request, follow it, add to it, withdraw it. No account, case number + PIN. */
export default async function requestRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { config, database, keys, clock, sharedCopies } = app.services;
  const { RemovalRequest, AddItems } = requestSchemas();
  const ctx: RequesterContext = { database, keys, clock, sharedCopies, jurisdictions: config.jurisdictions };

  app.post(
    '/v1/requests',
    {
      schema: {
        summary: 'Make a removal request (TAKE IT DOWN Act §3(a)(1))',
        tags: ['requests'],
        body: RemovalRequest,
        response: { 201: Submitted, ...errors(400, 413, 429) },
      },
      bodyLimit: config.requestBodyLimitBytes,
      config: { rateLimit: { max: config.intakeRateLimit.max, timeWindow: config.intakeRateLimit.windowMs }, bodyTooLarge: tooMuchAtOnce, removalRequest: true },
    },
    async (request, reply) => {
      const validated = validateRemovalRequest(request.body, { clock, jurisdictions: config.jurisdictions });
      if (!validated.ok) throw incompleteRequest(validated.errors);
      const submitted = await submitRequest(database, keys, clock, validated.request, { jurisdictions: config.jurisdictions }).catch(answerIfSuspended(clock));
      return reply.code(201).send({ caseNumber: submitted.caseNumber, pin: submitted.pin, items: submitted.items });
    },
  );

  app.get(
    '/v1/cases/:caseNumber',
    {
      schema: {
        summary: 'Follow a case: the state of each item (PIN in the Takedown-Case-Pin header)',
        tags: ['requests'],
        params: CaseParams,
        headers: PinHeaders,
        response: { 200: CaseStatus, ...errors(404, 429) },
      },
      config: { rateLimit: { max: 60, timeWindow: 60_000 } },
      onRequest: refusePinInUrl,
    },
    async (request) => {
      return requesterAnswer(await viewCase(ctx, requesterArgs(request.params, request.headers, request.ip)), clock.now());
    },
  );

  app.post(
    '/v1/cases/:caseNumber/items',
    {
      schema: {
        summary: 'Add depictions (URLs and/or hashes) to a case',
        tags: ['requests'],
        params: CaseParams,
        headers: PinHeaders,
        body: AddItems,
        response: { 200: CaseStatus, ...errors(400, 404, 409, 413, 429) },
      },
      bodyLimit: config.requestBodyLimitBytes,
      config: { rateLimit: { max: 30, timeWindow: 60_000 }, bodyTooLarge: tooMuchAtOnce },
      onRequest: refusePinInUrl,
    },
    async (request) => {
      return requesterAnswer(await addItems(ctx, requesterArgs(request.params, request.headers, request.ip), request.body), clock.now());
    },
  );

  app.post(
    '/v1/cases/:caseNumber/withdraw',
    {
      schema: {
        summary: 'Withdraw a case: every open item stops',
        tags: ['requests'],
        params: CaseParams,
        headers: PinHeaders,
        response: { 200: CaseStatus, ...errors(404, 409, 413, 429) },
      },
      bodyLimit: NO_BODY_BYTES,
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      onRequest: refusePinInUrl,
    },
    async (request) => {
      return requesterAnswer(await withdrawCase(ctx, requesterArgs(request.params, request.headers, request.ip)), clock.now());
    },
  );

  app.post(
    '/v1/cases/:caseNumber/items/:itemId/withdraw',
    {
      schema: {
        summary: 'Withdraw one item of a case: it stops, its link and shared picture are deleted, the other items go on',
        tags: ['requests'],
        params: ItemParams,
        headers: PinHeaders,
        response: { 200: CaseStatus, ...errors(400, 404, 409, 413, 429) },
      },
      bodyLimit: NO_BODY_BYTES,
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      onRequest: refusePinInUrl,
    },
    async (request) => {
      const result = await withdrawItem(ctx, { ...requesterArgs(request.params, request.headers, request.ip), itemId: request.params.itemId });
      if (result.kind === 'no_such_item') throw new HttpError(404, 'item_not_found', 'This case has no item with that id. Refresh the page to see the items it has.');
      if (result.kind === 'item_not_open') {
        if (result.state === 'withdrawn') throw new HttpError(409, 'item_already_withdrawn', 'This item is already withdrawn. Nothing more needs doing.');
        throw new HttpError(409, 'item_decided', `This item is already ${result.state}, so it cannot be withdrawn. The other items are not changed.`);
      }
      return requesterAnswer(result, clock.now());
    },
  );
}
