import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DEFAULT_REQUEST_LIMITS, knownJurisdictions, lookupJurisdiction, profileFor, readRegulatorNotice } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { enterRegulatorNotice, listRegulatorNotices } from '../../services/regulator-notices.ts';
import { HttpError, invalidRequest } from '../errors.ts';
import { errors, Timestamp, Uuid } from '../schemas.ts';
import { actorOf, requireStaff, staffOf } from '../staff-auth.ts';

const Notice = Type.Object({
  id: Uuid,
  caseNumber: Type.String({ description: 'The case opened for the notice: its items are in the review queue, marked as a regulator’s notice.' }),
  regulator: Type.String(),
  reference: Type.String(),
  jurisdiction: Type.String(),
  periodHours: Type.Union([Type.Integer(), Type.Null()], { description: 'The period the notice set, in hours; null when it named a due time.' }),
  receivedAt: Timestamp,
  dueAt: Timestamp,
  enteredBy: Type.String(),
  items: Type.Integer(),
});

const Profile = Type.Object({
  code: Type.String(),
  removalDeadlineHours: Type.Number(),
  escalationAfterHours: Type.Array(Type.Number()),
  regulator: Type.Optional(Type.Object({ name: Type.String(), url: Type.String() })),
  legalGround: Type.Optional(Type.String()),
});

// Core reads every field (readRegulatorNotice) and names each problem; the schema only documents them.
const NoticeBody = Type.Object(
  {
    regulator: Type.Optional(Type.Unknown({ description: 'Who sent the notice, e.g. "eSafety Commissioner".' })),
    reference: Type.Optional(Type.Unknown({ description: "The regulator's own reference for the notice." })),
    jurisdiction: Type.Optional(Type.Unknown({ description: 'The regime the notice is made under (AU, UK, …); default: the deployment’s default.' })),
    receivedAt: Type.Optional(Type.Unknown({ description: 'When the notice was received (ISO 8601 with its zone); default: now. The period runs from here.' })),
    periodHours: Type.Optional(Type.Unknown({ description: 'The period the notice sets, in whole hours (e.g. 24). Give this or dueAt.' })),
    dueAt: Type.Optional(Type.Unknown({ description: 'The time the notice says the content must be removed by (ISO 8601 with its zone). Give this or periodHours.' })),
    items: Type.Optional(Type.Unknown({ description: 'The content the notice names: like a request’s items, each a url and/or hashes.' })),
  },
  { additionalProperties: true },
);

/**
 * Regulators' removal notices (an eSafety Commissioner removal notice, say), entered by senior staff: the
 * notice opens a case whose items run on the regulator's own period, marked as a notice in the queue.
 */
export default async function regulatorNoticeRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { config, database, keys, clock } = app.services;

  app.post(
    '/v1/regulator-notices',
    {
      schema: {
        summary: "Enter a regulator's removal notice; its items' clock follows the regulator's period",
        tags: ['review'],
        body: NoticeBody,
        response: { 201: Type.Intersect([Notice, Type.Object({ itemIds: Type.Array(Uuid, { description: 'The items opened, in the order given.' }) })]), ...errors(400, 401, 403, 409, 413) },
      },
      // Items may carry video hashes, as a request's do.
      bodyLimit: config.requestBodyLimitBytes,
      onRequest: [app.csrfProtection, requireStaff('enter_regulator_notice')],
    },
    async (request, reply) => {
      const read = readRegulatorNotice(request.body, clock.now(), DEFAULT_REQUEST_LIMITS, config.jurisdictions);
      if (!read.ok) throw invalidRequest(read.errors);
      const result = await enterRegulatorNotice(database, keys, clock, read.notice, actorOf(staffOf(request)).actor, config.jurisdictions);
      if (result.kind === 'duplicate') {
        throw new HttpError(409, 'notice_exists', `This notice was entered already: case ${result.caseNumber}.`, { field: 'reference' });
      }
      return reply.code(201).send({ ...result.notice, itemIds: result.items.map((item) => item.id) });
    },
  );

  app.get(
    '/v1/regulator-notices',
    {
      schema: {
        summary: "Regulators' notices entered, newest first, and the jurisdictions a notice can be made under",
        tags: ['review'],
        response: { 200: Type.Object({ notices: Type.Array(Notice), jurisdictions: Type.Array(Profile), defaultJurisdiction: Type.String() }), ...errors(401, 403) },
      },
      onRequest: requireStaff('enter_regulator_notice'),
    },
    async () => {
      const fallback = lookupJurisdiction(undefined, config.jurisdictions);
      return {
        notices: await listRegulatorNotices(database),
        jurisdictions: knownJurisdictions(config.jurisdictions).map((code) => profileFor(code, config.jurisdictions)),
        defaultJurisdiction: fallback.ok ? fallback.rules.code : 'US',
      };
    },
  );
}
