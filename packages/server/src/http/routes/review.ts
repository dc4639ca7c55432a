import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DECLINE_REASONS, normaliseCaseNumber, REVIEW_MARKERS } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { decideCase, decideItem, recordStaffRemoval, reviewItem, reviewQueue, type ReviewResult } from '../../services/review.ts';
import { SMALL_BODY_BYTES } from '../body-limits.ts';
import { HttpError } from '../errors.ts';
import { AuditEventSchema, DateTime, errors, Hashes, Timestamp, Uuid } from '../schemas.ts';
import { FreeText } from '../schemas/plain-text.ts';
import { actorOf, requireStaff, staffOf } from '../staff-auth.ts';

const QueueEntry = Type.Object({
  itemId: Uuid,
  caseNumber: Type.String(),
  position: Type.Integer(),
  state: Type.String(),
  deadline: Timestamp,
  breached: Type.Boolean(),
  escalationLevel: Type.Integer({ description: '0, or 1/2 once the first/second escalation point (US: 24 h/36 h) passed.' }),
  queue: Type.Union([Type.Literal('standard'), Type.Literal('senior')]),
  routeReasons: Type.Array(Type.String()),
  jurisdiction: Type.String(),
  regulatorNotice: Type.Optional(Type.Object({ regulator: Type.String(), reference: Type.String() }, { description: "Set when the item came from a regulator's removal notice: its deadline is the regulator's." })),
  url: Type.Optional(Type.String()),
  reportedBy: Type.Optional(Type.String({ description: 'Set for a copy the known-copy sweep found: the platform whose content index gave its address. The address is that platform’s claim, not a link the person gave.' })),
  hashes: Hashes,
  publicInterest: Type.Boolean(),
  receivedAt: Timestamp,
  demo: Type.Boolean(),
  markers: Type.Array(Type.Enum(REVIEW_MARKERS), {
    description:
      'shared_copy: the person shared a copy to look at; video; minor: under 18 when made; regulator_notice: sent by a regulator (where recorded); appeal: an open appeal; duplicate / resubmission: the same person asked about the same content before (see repeatOf).',
  }),
  repeatOf: Type.Optional(
    Type.Object(
      { kind: Type.Union([Type.Literal('duplicate'), Type.Literal('resubmission')]), itemId: Uuid, caseNumber: Type.String(), position: Type.Integer() },
      { description: 'The earlier item this one asks about again (same address or hash, same person): duplicate of an open item, or resubmission after a decline, withdrawal or removal. Linked, never counted against the person.' },
    ),
  ),
});

const NextItem = Type.Union([Type.Object({ itemId: Uuid, caseNumber: Type.String() }), Type.Null()], {
  description: 'The next item to decide in the same queue (soonest deadline first), or null when none is left.',
});

const Person = Type.Object({}, { additionalProperties: true });

const ReviewItem = Type.Object({
  item: Type.Intersect([
    QueueEntry,
    Type.Object({
      declineReason: Type.Optional(Type.String()),
      declineNote: Type.Optional(Type.String()),
      escalationReason: Type.Optional(Type.String()),
      decidedBy: Type.Optional(Type.String()),
      decidedAt: Type.Optional(Timestamp),
      removedAt: Type.Optional(Timestamp),
      hostedBy: Type.Array(Type.String(), {
        description: 'Platforms hosting the item (by content index or declared host): only they are told to remove it and may acknowledge. Empty: no connected platform hosts it, and staff take it to the site.',
      }),
    }),
  ]),
  case: Type.Object({
    caseNumber: Type.String(),
    state: Type.String(),
    receivedAt: Timestamp,
    signedAt: Timestamp,
    shareMedia: Type.Boolean(),
    requesterRole: Type.String({ description: '`self`, `representative`, or `regulator` for a case opened from a regulator’s notice.' }),
    jurisdictionReason: Type.Optional(
      Type.Object(
        {
          source: Type.String({ description: 'platform, requester_location, deployment_default or regulator_notice' }),
          reason: Type.String({ description: 'One English sentence, as in the audit log.' }),
          removalDeadlineHours: Type.Number(),
          platform: Type.Optional(Type.String({ description: 'The platform whose setting decided (source platform).' })),
          shortest: Type.Boolean({ description: 'More than one regime applied; this one has the shortest clock.' }),
        },
        { description: 'How the jurisdiction (and so the clock) was decided; absent for cases filed before it was recorded.' },
      ),
    ),
    regulatorNotice: Type.Optional(
      Type.Object({ regulator: Type.String(), reference: Type.String(), periodHours: Type.Union([Type.Integer(), Type.Null()]), receivedAt: Timestamp, dueAt: Timestamp, enteredBy: Type.String() }),
    ),
    minor: Type.Optional(
      Type.Object(
        { under18WhenMade: Type.Literal(true), reportingDuty: Type.Object({ law: Type.String(), summary: Type.String(), reportTo: Type.String() }) },
        { description: 'Present when the requester said the person shown was under 18 when it was made: no copy is shared, and the platform must report it (18 U.S.C. § 2258A).' },
      ),
    ),
    statements: Type.Union([
      Type.Object({ requester: Person, contact: Person, goodFaith: Person, signature: Person }),
      Type.Null({ description: 'Deleted after the retention period.' }),
    ]),
    otherItems: Type.Array(Type.Object({ id: Uuid, position: Type.Integer(), state: Type.String() })),
  }),
  matches: Type.Array(Type.Object({ signal: Type.String(), matchedRef: Type.String(), from: Type.String({ description: 'Where the match came from: the content index, an item confirmed here, or a followed feed (by name).' }), distance: Type.Integer(), threshold: Type.Integer(), foundAt: Timestamp })),
  history: Type.Array(AuditEventSchema),
});

const DecisionBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('confirm'), Type.Literal('decline'), Type.Literal('escalate')]),
    reason: Type.Optional(Type.Enum(DECLINE_REASONS, { description: 'Required to decline.' })),
    note: Type.Optional(FreeText({ maxLength: 2000, description: 'Required to escalate, and to decline with reason "other".' })),
  },
  { additionalProperties: false },
);

const CaseDecisionBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('confirm'), Type.Literal('decline')]),
    reason: Type.Optional(Type.Enum(DECLINE_REASONS, { description: 'Required to decline.' })),
    note: Type.Optional(FreeText({ maxLength: 2000, description: 'Required to decline with reason "other".' })),
    itemIds: Type.Array(Uuid, { minItems: 1, maxItems: 200, uniqueItems: true, description: 'The items you saw and decide; each must still wait for a decision.' }),
  },
  { additionalProperties: false },
);

const StaffRemovalBody = Type.Object(
  {
    note: FreeText({ minLength: 1, maxLength: 2000, description: 'How you know the content is gone (for example: the page now shows "not found", or the site wrote to say so).' }),
    removedAt: Type.Optional(DateTime),
  },
  { additionalProperties: false, description: 'removedAt: when the site removed the content, if known; default: now.' },
);

export function unwrapReview<T>(result: ReviewResult<T>, notFound = 'There is no item with this id.'): T {
  switch (result.kind) {
    case 'ok':
      return result.value;
    case 'not_found':
      throw new HttpError(404, 'not_found', notFound);
    case 'forbidden':
      throw new HttpError(403, 'forbidden', result.message);
    case 'conflict':
      throw new HttpError(409, result.code, result.message);
    case 'invalid':
      throw new HttpError(400, 'invalid_request', result.message, { field: result.field, fields: [{ field: result.field, code: 'invalid', message: result.message }] });
  }
}

/** The reviewer console's API: the queue ordered by deadline, one item with its case, and decisions. */
export default async function reviewRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { database, keys, clock, metrics } = app.services;

  app.get(
    '/v1/review/queue',
    {
      schema: {
        summary: 'Items to review, soonest deadline first (breached on top)',
        tags: ['review'],
        querystring: Type.Object(
          {
            state: Type.Optional(
              Type.String({
                description: 'Comma-separated item states; default pending,confirmed.',
                pattern: '^(pending|confirmed|removed|declined|withdrawn)(,(pending|confirmed|removed|declined|withdrawn))*$',
                'x-expected': 'one or more of pending, confirmed, removed, declined, withdrawn, separated by commas',
              }),
            ),
            escalated: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
            queue: Type.Optional(Type.Union([Type.Literal('standard'), Type.Literal('senior'), Type.Literal('all')])),
            limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$', description: '1–999, default 100.', 'x-expected': 'a whole number from 1 to 999' })),
            offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$', 'x-expected': 'a whole number from 0 to 9999999' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(QueueEntry) }), ...errors(400, 401, 403) },
      },
      onRequest: requireStaff('view_standard_queue', 'view_senior_queue'),
    },
    async (request) => {
      const query = request.query;
      const staff = actorOf(staffOf(request));
      if (query.queue && query.queue !== 'standard' && !staff.seesSenior) {
        throw new HttpError(403, 'forbidden', 'The senior queue is for senior reviewers and admins.');
      }
      const items = await reviewQueue(database, clock, staff.seesSenior, {
        states: query.state?.split(','),
        escalated: query.escalated === undefined ? undefined : query.escalated === 'true',
        queue: query.queue,
        limit: Number(query.limit ?? 100),
        offset: Number(query.offset ?? 0),
      });
      return { items };
    },
  );

  app.get(
    '/v1/review/items/:id',
    {
      schema: {
        summary: "One item with its case's statements (decrypted), matches and history",
        tags: ['review'],
        params: Type.Object({ id: Uuid }),
        response: { 200: ReviewItem, ...errors(400, 401, 403, 404) },
      },
      onRequest: requireStaff('view_case'),
    },
    async (request) => {
      const { id } = request.params;
      return unwrapReview(await reviewItem(database, keys, clock, actorOf(staffOf(request)), id));
    },
  );

  app.post(
    '/v1/review/items/:id/decision',
    {
      schema: {
        summary: 'Confirm, decline (with a reason) or escalate an item',
        tags: ['review'],
        params: Type.Object({ id: Uuid }),
        body: DecisionBody,
        response: {
          200: Type.Object({ itemState: Type.String(), caseState: Type.String(), queue: Type.Union([Type.Literal('standard'), Type.Literal('senior')]), next: NextItem }),
          ...errors(400, 401, 403, 404, 409, 413),
        },
      },
      bodyLimit: SMALL_BODY_BYTES,
      onRequest: [app.csrfProtection, requireStaff('decide_item')],
    },
    async (request) => {
      return unwrapReview(await decideItem(database, clock, actorOf(staffOf(request)), request.params.id, request.body));
    },
  );

  app.post(
    '/v1/review/cases/:caseNumber/decision',
    {
      schema: {
        summary: 'Confirm, or decline with one reason, several items of one case at once (each audited; all or none)',
        tags: ['review'],
        params: Type.Object({ caseNumber: Type.String({ maxLength: 40, description: 'The case number, such as TD-7K4P-2M9Q.' }) }),
        body: CaseDecisionBody,
        response: {
          200: Type.Object({ caseState: Type.String(), decided: Type.Array(Type.Object({ itemId: Uuid, itemState: Type.String() })), next: NextItem }),
          ...errors(400, 401, 403, 404, 409, 413),
        },
      },
      bodyLimit: SMALL_BODY_BYTES,
      onRequest: [app.csrfProtection, requireStaff('decide_item')],
    },
    async (request) => {
      const caseNumber = normaliseCaseNumber(request.params.caseNumber);
      if (!caseNumber) throw new HttpError(404, 'not_found', 'There is no case with this number.');
      return unwrapReview(await decideCase(database, clock, actorOf(staffOf(request)), caseNumber, request.body), 'There is no case with this number.');
    },
  );

  app.post(
    '/v1/review/items/:id/removed',
    {
      schema: {
        summary: 'Record that a confirmed item no connected platform hosts is gone from the site (stops the clock)',
        tags: ['review'],
        params: Type.Object({ id: Uuid }),
        body: StaffRemovalBody,
        response: { 200: Type.Object({ itemState: Type.String(), caseState: Type.String() }), ...errors(400, 401, 403, 404, 409, 413) },
      },
      bodyLimit: SMALL_BODY_BYTES,
      onRequest: [app.csrfProtection, requireStaff('decide_item')],
    },
    async (request) => {
      const { removedAt, note } = request.body;
      const { clock: stopped, ...outcome } = unwrapReview(
        await recordStaffRemoval(database, clock, actorOf(staffOf(request)), request.params.id, { note, removedAt: removedAt === undefined ? undefined : new Date(removedAt) }),
      );
      metrics.observeRemoval(stopped.jurisdiction, stopped.seconds);
      return outcome;
    },
  );
}
