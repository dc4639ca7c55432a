import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { readDraft, saveDraft, submitDraft, updateDraft, type DraftContext, type DraftResult, type DraftState } from '../../services/request-drafts.ts';
import { HttpError, incompleteRequest } from '../errors.ts';
import { errors, Timestamp } from '../schemas.ts';
import { PlainText } from '../schemas/plain-text.ts';
import { answerIfSuspended, Submitted } from './requests.ts';

/** The header that carries a draft's token: never in the address, where it would end up in logs and history. */
export const DRAFT_TOKEN_HEADER = 'takedown-draft-token';

/**
 * What a draft may hold: the fields of a removal request, each in any state of completion. Core's validator
 * names what is wrong or missing; nothing here refuses a half-filled form.
 */
const DraftBody = Type.Object(
  {
    jurisdiction: Type.Optional(Type.Unknown()),
    requester: Type.Optional(Type.Unknown()),
    contact: Type.Optional(Type.Unknown()),
    goodFaith: Type.Optional(Type.Unknown()),
    signature: Type.Optional(Type.Unknown()),
    items: Type.Optional(Type.Unknown()),
    shareMedia: Type.Optional(Type.Unknown()),
    under18WhenMade: Type.Optional(Type.Unknown()),
    language: Type.Optional(Type.Unknown()),
    timeZone: Type.Optional(Type.Unknown()),
    notify: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false, description: 'A removal request as far as it is filled in (the fields of POST /v1/requests, all optional).' },
);

const LawElement = Type.Object({ element: Type.String(), clause: Type.String(), description: Type.String() });
const FieldProblem = Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() });
const DraftStateBody = {
  expiresAt: Timestamp,
  complete: Type.Boolean({ description: 'True when submitting it now makes a valid request (and starts the clock).' }),
  missing: Type.Array(LawElement, { description: 'The TAKE IT DOWN Act §3(a)(1)(B) elements still missing or unusable.' }),
  fields: Type.Array(FieldProblem, { description: 'Every problem by field.' }),
};
const Saved = Type.Object({ draftToken: Type.String({ description: 'Shown once: keep it to finish the request later. Stored only as a keyed hash.' }), ...DraftStateBody });
const State = Type.Object(DraftStateBody);
const Resumed = Type.Object({ ...DraftStateBody, content: Type.Record(Type.String(), Type.Unknown()) });
const TokenHeaders = Type.Object({ [DRAFT_TOKEN_HEADER]: Type.Optional(PlainText({ maxLength: 64, description: 'Required: the token given when the draft was saved.' })) });

const notFound = () => new HttpError(404, 'draft_not_found', 'No saved request matches this code. It may have expired: saved requests are kept for a short time only. Please start a new request.');

function tokenOf(headers: { [DRAFT_TOKEN_HEADER]?: string }): string {
  const token = headers[DRAFT_TOKEN_HEADER]?.trim();
  if (!token) {
    const message = 'Send the code of your saved request in the Takedown-Draft-Token header.';
    throw new HttpError(400, 'draft_token_required', message, { field: `headers.${DRAFT_TOKEN_HEADER}`, fields: [{ field: `headers.${DRAFT_TOKEN_HEADER}`, code: 'required', message }] });
  }
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw notFound(); // not one of ours: the same answer as an expired one
  return token;
}

function stateBody(state: DraftState) {
  return { expiresAt: state.expiresAt, complete: state.complete, missing: state.missing, fields: state.fields };
}

function unwrap<T>(result: DraftResult<T>): T {
  if (result.kind === 'not_found') throw notFound();
  if (result.kind === 'invalid') throw incompleteRequest(result.state.fields);
  return result.value;
}

/**
 * Incomplete requests, saved to finish later (§3(a)(1)(B): no clock until all four elements are there). The
 * draft is addressed by its token alone, sent in a header; `current` in the path is the draft that token names.
 */
export default async function requestDraftRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { config, database, keys, clock } = app.services;
  const ctx: DraftContext = { database, keys, clock, ttlMs: config.draftTtlMs, jurisdictions: config.jurisdictions };
  const limits = { bodyLimit: config.requestBodyLimitBytes, config: { rateLimit: { max: config.intakeRateLimit.max, timeWindow: config.intakeRateLimit.windowMs } } };

  app.post(
    '/v1/request-drafts',
    {
      schema: { summary: 'Save an incomplete removal request to finish later (no clock starts)', tags: ['requests'], body: DraftBody, response: { 201: Saved, ...errors(400, 413, 429) } },
      ...limits,
    },
    async (request, reply) => {
      const saved = await saveDraft(ctx, request.body as Record<string, unknown>);
      return reply.code(201).send({ draftToken: saved.token, ...stateBody(saved) });
    },
  );

  app.get(
    '/v1/request-drafts/current',
    {
      schema: { summary: 'Read a saved request, to resume the form (token in the Takedown-Draft-Token header)', tags: ['requests'], headers: TokenHeaders, response: { 200: Resumed, ...errors(400, 404, 429) } },
      config: limits.config,
    },
    async (request) => {
      const draft = unwrap(await readDraft(ctx, tokenOf(request.headers)));
      return { ...stateBody(draft), content: draft.content };
    },
  );

  app.put(
    '/v1/request-drafts/current',
    {
      schema: { summary: 'Replace what a saved request holds', tags: ['requests'], headers: TokenHeaders, body: DraftBody, response: { 200: State, ...errors(400, 404, 413, 429) } },
      ...limits,
    },
    async (request) => stateBody(unwrap(await updateDraft(ctx, tokenOf(request.headers), request.body as Record<string, unknown>))),
  );

  app.post(
    '/v1/request-drafts/current/submit',
    {
      schema: {
        summary: 'Make a saved request a removal request (a body replaces what was saved; {} sends it as saved): the clock starts now',
        tags: ['requests'],
        headers: TokenHeaders,
        body: DraftBody,
        response: { 201: Submitted, ...errors(400, 403, 404, 413, 429) },
      },
      ...limits,
    },
    async (request, reply) => {
      // A suspended notifier's finished draft is refused like a request sent at once; the draft stays.
      const result = await submitDraft(ctx, tokenOf(request.headers), request.body as Record<string, unknown>).catch(answerIfSuspended(clock));
      const submitted = unwrap(result);
      return reply.code(201).send({ caseNumber: submitted.caseNumber, pin: submitted.pin, items: submitted.items });
    },
  );
}
