import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { removalTimes } from '../../services/compliance.ts';
import { HttpError } from '../errors.ts';
import { errors } from '../schemas.ts';
import { requireStaff } from '../staff-auth.ts';
import { parseBound, ReportPeriod } from './reports.ts';

/**
 * The time each removed item took, for the compliance page's chart against the deadline line
 * (§3(a)(3)(A)), one chart per clock. Only durations, deadlines and jurisdictions: no ids, no PII.
 */
export default async function removalTimeRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { database } = app.services;
  app.get(
    '/v1/reports/removal-times',
    {
      schema: {
        summary: 'Hours from request to removal for each item removed, with its deadline in hours and its jurisdiction',
        tags: ['reports'],
        querystring: ReportPeriod,
        response: {
          200: Type.Object({ removals: Type.Array(Type.Object({ hoursToRemoval: Type.Number(), deadlineHours: Type.Number(), jurisdiction: Type.String() })) }),
          ...errors(400, 401, 403),
        },
      },
      onRequest: requireStaff('read_reports'),
    },
    async (request) => {
      const query = request.query;
      const from = parseBound(query.from, 'from');
      const to = parseBound(query.to, 'to');
      if (to <= from) throw new HttpError(400, 'invalid_request', '"to" must be after "from".', { field: 'to' });
      return { removals: await removalTimes(database, from, to) };
    },
  );
}
