import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { gatherOperationsFigures } from '../../services/operations-figures.ts';
import { HttpError } from '../errors.ts';
import { errors } from '../schemas.ts';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * `GET /metrics` for Prometheus, behind the bearer token TAKEDOWN_METRICS_TOKEN (off without it). The token is
 * checked before anything is read; the database's figures are gathered at each scrape (see docs/operations.md).
 */
export default async function metricsRoutes(app: FastifyInstance): Promise<void> {
  const { config, database, clock, metrics, decodeBudget, platform } = app.services;
  // Compared as digests, in constant time: the comparison says nothing about how much of a guess was right.
  const expected = config.metricsToken === undefined ? undefined : digest(config.metricsToken);
  const requireToken = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!expected) throw new HttpError(404, 'metrics_off', 'Metrics are off on this server: set TAKEDOWN_METRICS_TOKEN and restart it to turn them on.');
    const given = /^Bearer +(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new HttpError(401, 'metrics_token_required', 'Send the metrics token as "Authorization: Bearer <TAKEDOWN_METRICS_TOKEN>" (set in the scrape job\'s authorization).');
    }
  };
  app.get(
    '/metrics',
    {
      onRequest: requireToken,
      schema: {
        summary: 'Prometheus metrics (text format 0.0.4), with the bearer token TAKEDOWN_METRICS_TOKEN',
        tags: ['operations'],
        security: [{ metricsToken: [] }],
        response: { 200: { type: 'string', description: 'Prometheus exposition text' }, ...errors(401, 404) },
      },
    },
    async (_request, reply) => {
      const figures = await gatherOperationsFigures(database, clock);
      const text = await metrics.render(figures, { ...decodeBudget.usage, concurrency: decodeBudget.limits.concurrency }, platform.follower.pdqUsage());
      return reply.type(metrics.contentType).header('cache-control', 'no-store').send(text);
    },
  );
}
