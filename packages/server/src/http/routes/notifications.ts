import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { listNotificationsFor } from '../../services/notifications.ts';
import { errors, Timestamp } from '../schemas.ts';
import { requireStaff } from '../staff-auth.ts';

const STATES = ['queued', 'sent', 'failed', 'rejected', 'cancelled'] as const;

const Notification = Type.Object({
  id: Type.String(),
  audience: Type.String({ description: 'requester or staff' }),
  channel: Type.Union([Type.String(), Type.Null()]),
  kind: Type.String(),
  caseNumber: Type.Union([Type.String(), Type.Null()]),
  state: Type.String(),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  finishedAt: Type.Union([Timestamp, Type.Null()]),
});

/** The outbox as staff see it: by default the messages that did not arrive, with why. */
export default async function notificationRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { database } = app.services;
  app.get(
    '/v1/staff/notifications',
    {
      schema: {
        summary: 'Notifications to requesters and staff: those that failed or were refused (or any state asked for)',
        tags: ['staff'],
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Union(STATES.map((s) => Type.Literal(s)), { description: 'Default: failed and rejected.' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ notifications: Type.Array(Notification) }), ...errors(400, 401, 403) },
      },
      onRequest: requireStaff('read_reports'),
    },
    async (request) => {
      const states = request.query.state ? [request.query.state] : (['failed', 'rejected'] as const);
      return { notifications: await listNotificationsFor(database, { states, limit: request.query.limit ?? 100 }) };
    },
  );
}
