import { Type } from '@sinclair/typebox';
import { DEFAULT_REQUEST_LIMITS, normaliseCaseNumber, validateRemovalRequest, type RemovalRequestInput } from '@takedown/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { addItems, viewCase, withdrawCase, type RequesterContext, type RequesterResult } from '../../store/requester-case.ts';
import { submitRequest } from '../../store/intake.ts';
import { HttpError, invalidRequest } from '../errors.ts';
import { DateTime, errors, Hashes, Uuid } from '../schemas.ts';

/** The header that carries the case PIN: never in the URL, where it would end up in logs and browser history. */
export const PIN_HEADER = 'takedown-case-pin';

const limits = DEFAULT_REQUEST_LIMITS;

const Item = Type.Object(
  {
    url: Type.Optional(Type.String({ maxLength: limits.maxUrlLength, description: 'Where the depiction is on the platform.' })),
    hashes: Type.Optional(Hashes),
    mediaType: Type.Optional(Type.Union([Type.Literal('image'), Type.Literal('video')])),
    publicInterest: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, description: '§3(a)(1)(B)(ii): a URL and/or hashes; at least one.' },
);

const RemovalRequest = Type.Object(
  {
    jurisdiction: Type.Optional(Type.String({ description: 'US (default), EU, UK or AU: which removal clock applies.' })),
    requester: Type.Object(
      {
        role: Type.Union([Type.Literal('self'), Type.Literal('representative')]),
        fullName: Type.String({ maxLength: limits.maxNameLength }),
        relationship: Type.Optional(Type.String({ description: 'Required for a representative.' })),
        depictedPersonName: Type.Optional(Type.String({ description: 'Required for a representative.' })),
      },
      { additionalProperties: false },
    ),
    contact: Type.Object({ email: Type.Optional(Type.String()), phone: Type.Optional(Type.String()) }, { additionalProperties: false, description: '§3(a)(1)(B)(iv): email and/or phone.' }),
    goodFaith: Type.Object(
      { affirmed: Type.Boolean(), statement: Type.String({ maxLength: limits.maxStatementLength }) },
      { additionalProperties: false, description: '§3(a)(1)(B)(iii): the good-faith statement of non-consent.' },
    ),
    signature: Type.Object(
      { fullName: Type.String(), signedAt: DateTime, statement: Type.String() },
      { additionalProperties: false, description: '§3(a)(1)(B)(i): the electronic signature.' },
    ),
    items: Type.Array(Item, { minItems: 1, maxItems: limits.maxItems }),
    shareMedia: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const Submitted = Type.Object({
  caseNumber: Type.String({ description: 'Keep this: with the PIN it opens the case.' }),
  pin: Type.String({ description: 'Shown once, stored only as a keyed hash.' }),
  items: Type.Array(Type.Object({ id: Uuid, deadline: DateTime })),
});

const CaseStatus = Type.Object({
  caseNumber: Type.String(),
  state: Type.String({ description: 'received, in_review, resolved, withdrawn or rejected' }),
  jurisdiction: Type.String(),
  receivedAt: DateTime,
  items: Type.Array(
    Type.Object({
      id: Uuid,
      position: Type.Integer(),
      state: Type.String({ description: 'pending, confirmed, removed, declined or withdrawn' }),
      deadline: DateTime,
      url: Type.Optional(Type.String()),
      hashes: Hashes,
      declineReason: Type.Optional(Type.String()),
      removedAt: Type.Optional(DateTime),
    }),
  ),
});

const CaseParams = Type.Object({ caseNumber: Type.String({ maxLength: 32 }) });
// Optional in the schema so that a missing PIN gets our own message (requesterArgs), not a schema error.
const PinHeaders = Type.Object({ [PIN_HEADER]: Type.Optional(Type.String({ maxLength: 32, description: 'Required: the PIN given when the request was made.' })) });

const notFound = () => new HttpError(404, 'not_found', 'No case matches this case number and PIN.');

function unwrap<T>(result: RequesterResult<T>): T {
  switch (result.kind) {
    case 'ok':
      return result.value;
    case 'not_found':
      throw notFound();
    case 'locked':
      throw new HttpError(429, 'too_many_attempts', `Too many wrong PINs for this case number. Try again after ${result.until.toISOString()}.`);
    case 'invalid':
      throw invalidRequest(result.errors);
    case 'closed':
      throw new HttpError(409, 'case_closed', `This case is ${result.state}; it cannot be changed any more.`);
  }
}

function requesterArgs(request: FastifyRequest): { caseNumber: string; pin: string } {
  const { caseNumber } = request.params as { caseNumber: string };
  const query = request.query as Record<string, unknown> | undefined;
  if (query && Object.keys(query).some((key) => key.toLowerCase().includes('pin'))) {
    const message = 'Never put the PIN in the address (it ends up in logs and browser history); send it in the Takedown-Case-Pin header.';
    throw new HttpError(400, 'pin_in_url', message, { field: 'pin', fields: [{ field: 'pin', code: 'pin_in_url', message }] });
  }
  const header = request.headers[PIN_HEADER] as string | undefined;
  if (header === undefined) {
    const message = 'Send the case PIN in the Takedown-Case-Pin header.';
    throw new HttpError(400, 'pin_required', message, { field: `headers.${PIN_HEADER}`, fields: [{ field: `headers.${PIN_HEADER}`, code: 'required', message }] });
  }
  const pin = header.trim();
  const normalised = normaliseCaseNumber(caseNumber);
  // A malformed number or PIN cannot match a case: same answer as a wrong PIN (no enumeration).
  if (!normalised || !/^\d{4,12}$/.test(pin)) throw notFound();
  return { caseNumber: normalised, pin };
}

/** The requester's side: make a request, follow it, add to it, withdraw it. No account, case number + PIN. */
export default async function requestRoutes(app: FastifyInstance): Promise<void> {
  const { config, database, keys, clock } = app.services;
  const ctx: RequesterContext = { database, keys, clock, pinPolicy: { maxFailures: config.pinMaxFailures, lockoutMs: config.pinLockoutMs } };

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
      config: { rateLimit: { max: config.intakeRateLimit.max, timeWindow: config.intakeRateLimit.windowMs } },
      // The schema above documents the body; the domain's validator checks it, so the rules and their
      // plain-language messages (§3(a)(1)(B)) live in one place.
      validatorCompiler: ({ httpPart }) => (data: unknown) => {
        if (httpPart !== 'body') return { value: data };
        const result = validateRemovalRequest(data, { clock });
        return result.ok ? { value: result.request } : { error: invalidRequest(result.errors) };
      },
    },
    async (request, reply) => {
      const submitted = await submitRequest(database, keys, clock, request.body as RemovalRequestInput);
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
    },
    async (request) => {
      const { caseNumber, pin } = requesterArgs(request);
      return unwrap(await viewCase(ctx, caseNumber, pin));
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
        body: Type.Object({ items: Type.Array(Item, { minItems: 1 }) }, { additionalProperties: false }),
        response: { 200: CaseStatus, ...errors(400, 404, 409, 413, 429) },
      },
      bodyLimit: config.requestBodyLimitBytes,
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      // The domain validates the items (it also needs the case's existing items, to catch repeats).
      validatorCompiler: () => (data: unknown) => ({ value: data }),
    },
    async (request) => {
      const { caseNumber, pin } = requesterArgs(request);
      return unwrap(await addItems(ctx, caseNumber, pin, request.body));
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
        response: { 200: CaseStatus, ...errors(404, 409, 429) },
      },
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
    },
    async (request) => {
      const { caseNumber, pin } = requesterArgs(request);
      return unwrap(await withdrawCase(ctx, caseNumber, pin));
    },
  );
}
