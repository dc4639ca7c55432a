import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { checkDatabase } from '../../services/health.ts';

/** For load balancers and start scripts: 200 when the database answers. */
export default async function healthRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { database } = app.services;
  app.get(
    '/healthz',
    { schema: { summary: 'Liveness and database check', tags: ['health'], response: { 200: Type.Object({ ok: Type.Boolean(), database: Type.String() }) } } },
    async () => {
      await checkDatabase(database);
      return { ok: true, database: database.kind };
    },
  );
}
