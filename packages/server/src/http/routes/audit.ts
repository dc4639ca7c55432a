import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { readAuditLog } from '../../services/audit-log.ts';
import { AuditEventSchema, errors, Uuid } from '../schemas.ts';
import { PlainText } from '../schemas/plain-text.ts';
import { actorOf, requireStaff, staffOf } from '../staff-auth.ts';

// The audit log also shows each row's link to the one before, so auditors can follow the chain.
const AuditRow = Type.Evaluate(Type.Intersect([AuditEventSchema, Type.Object({ prevHash: Type.String() })]));

/** The audit log for auditors and admins: every event with its chain hashes, oldest first, page by page. */
export default async function auditRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { database, clock } = app.services;
  app.get(
    '/v1/audit',
    {
      schema: {
        summary: 'Read the audit log (auditor, admin)',
        tags: ['audit'],
        querystring: Type.Object(
          {
            after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'Only events with seq greater than this.', 'x-expected': 'a whole number (the seq of the last event you have)' })),
            limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,3}$', description: '1–9999, default 500.', 'x-expected': 'a whole number from 1 to 9999' })),
            caseId: Type.Optional(Uuid),
            action: Type.Optional(PlainText({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ events: Type.Array(AuditRow), next: Type.Union([Type.Integer(), Type.Null()]) }), ...errors(400, 401, 403) },
      },
      onRequest: requireStaff('read_audit'),
    },
    async (request) => {
      const query = request.query;
      const limit = Number(query.limit ?? 500);
      const staff = actorOf(staffOf(request));
      const events = await readAuditLog(database, clock, staff.actor, { after: Number(query.after ?? 0), limit, caseId: query.caseId, action: query.action });
      return { events, next: events.length === limit ? events[events.length - 1].seq : null };
    },
  );
}
