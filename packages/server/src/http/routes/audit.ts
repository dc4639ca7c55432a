import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { appendAudit, toAuditRow } from '../../audit/chain.ts';
import { AuditEventSchema, errors, Uuid } from '../schemas.ts';
import { actorOf, requireStaff, staffOf } from '../staff-auth.ts';

// The audit log also shows each row's link to the one before, so auditors can follow the chain.
const AuditRow = Type.Composite([AuditEventSchema, Type.Object({ prevHash: Type.String() })]);

/** The audit log for auditors and admins: every event with its chain hashes, oldest first, page by page. */
export default async function auditRoutes(app: FastifyInstance): Promise<void> {
  const { database, clock } = app.services;
  app.get(
    '/v1/audit',
    {
      schema: {
        summary: 'Read the audit log (auditor, admin)',
        tags: ['audit'],
        querystring: Type.Object(
          {
            after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'Only events with seq greater than this.' })),
            limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,3}$', description: '1–9999, default 500.' })),
            caseId: Type.Optional(Uuid),
            action: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ events: Type.Array(AuditRow), next: Type.Union([Type.Integer(), Type.Null()]) }), ...errors(400, 401, 403) },
      },
      preHandler: requireStaff('read_audit'),
    },
    async (request) => {
      const query = request.query as { after?: string; limit?: string; caseId?: string; action?: string };
      const limit = Number(query.limit ?? 500);
      const staff = actorOf(staffOf(request));
      const rows = await database.transaction(async (tx) => {
        let select = tx.selectFrom('audit_events').selectAll().where('seq', '>', Number(query.after ?? 0));
        if (query.caseId) select = select.where('case_id', '=', query.caseId);
        if (query.action) select = select.where('action', '=', query.action);
        const found = await select.orderBy('seq').limit(limit).execute();
        // Reading the log is an export of evidence: recorded too.
        await appendAudit(tx, clock.now(), [{ actor: staff.actor, action: 'export.created', reason: 'audit log read', data: { after: Number(query.after ?? 0), rows: found.length, caseId: query.caseId ?? null, action: query.action ?? null } }]);
        return found;
      });
      const events = rows.map(toAuditRow);
      return { events, next: events.length === limit ? events[events.length - 1].seq : null };
    },
  );
}
