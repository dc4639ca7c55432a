import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { complianceReport } from '../../services/compliance.ts';
import { HttpError } from '../errors.ts';
import { errors, Timestamp } from '../schemas.ts';
import { PlainText } from '../schemas/plain-text.ts';
import { actorOf, requireStaff, staffOf } from '../staff-auth.ts';

const Duration = Type.Union([Type.Object({ ms: Type.Number(), hours: Type.Number() }), Type.Null()]);

const Breach = Type.Object({ id: Type.Optional(Type.String()), caseId: Type.Optional(Type.String()), reason: Type.String(), explanation: Type.String(), overdueMs: Type.Number() });

/** The figures of one clock: a jurisdiction and its deadline length (core's ClockCompliance). */
export const ClockComplianceSchema = Type.Object(
  {
    jurisdiction: Type.String({ description: 'The jurisdiction the cases recorded (US, EU, UK, AU or a configured one).' }),
    clockHours: Type.Integer({ description: 'The removal deadline these items ran on, in hours from receipt.' }),
    requestsReceived: Type.Integer(),
    requestsValid: Type.Integer(),
    requestsDue: Type.Integer({ description: 'Valid requests with at least one item that had to be removed by asOf.' }),
    requestsActionedWithinDeadline: Type.Integer({ description: 'Due requests every due item of which was removed by its deadline.' }),
    requestsActionedWithinDeadlinePercent: Type.Union([Type.Number(), Type.Null()]),
    medianTimeToAction: Duration,
    p95TimeToAction: Duration,
    itemsReceived: Type.Integer(),
    itemsValid: Type.Integer(),
    itemsDue: Type.Integer(),
    itemsRemoved: Type.Integer(),
    itemsRemovedWithinDeadline: Type.Integer(),
    removedWithinDeadlinePercent: Type.Union([Type.Number(), Type.Null()]),
    itemsOpen: Type.Integer(),
    itemsDeclined: Type.Integer(),
    declinedByReason: Type.Record(Type.String(), Type.Integer()),
    itemsWithdrawn: Type.Integer(),
    medianTimeToRemoval: Duration,
    p95TimeToRemoval: Duration,
    breaches: Type.Array(Breach),
    breachesByReason: Type.Record(Type.String(), Type.Integer()),
  },
  { description: 'One clock: never mixes items on a 24-hour deadline with items on a 48-hour one.' },
);

export const ComplianceReportSchema = Type.Object({
  from: Timestamp,
  to: Timestamp,
  asOf: Timestamp,
  requestsReceived: Type.Integer(),
  itemsReceived: Type.Integer(),
  clocks: Type.Array(ClockComplianceSchema, { description: 'One entry per jurisdiction and deadline length, sorted by jurisdiction then hours.' }),
  auditHead: Type.Object(
    { seq: Type.Integer(), hash: Type.String() },
    { description: 'The audit log\'s newest row once this report was recorded: publish it with the report; `takedown audit verify --expect-head SEQ:HASH` later shows that no event up to it was deleted.' },
  ),
});

/** The period of a report: from (inclusive) and to (exclusive), each a date or a date and time with a zone. */
export const ReportPeriod = Type.Object(
  { from: PlainText({ maxLength: 40, description: 'A date (2026-06-01) or a date and time with a zone.' }), to: PlainText({ maxLength: 40, description: 'A date (2026-07-01) or a date and time with a zone.' }) },
  { additionalProperties: false },
);

/** Parses a report bound: a date (2026-06-01, midnight UTC) or a date-time with zone. */
export function parseBound(text: string, field: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : /T.*(Z|[+-]\d{2}:\d{2})$/.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw new HttpError(400, 'invalid_request', `${field} must be a date (2026-06-01) or a date and time with a zone (2026-06-01T00:00:00Z).`, { field, fields: [{ field, code: 'invalid_date', message: `${field} is not a valid date.` }] });
  }
  return date;
}

export default async function reportRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { database, clock } = app.services;
  app.get(
    '/v1/reports/compliance',
    {
      schema: {
        summary: 'Compliance report per jurisdiction and clock: requests and items acted on within the deadline, median and p95 time to action, breaches with reasons',
        tags: ['reports'],
        querystring: ReportPeriod,
        response: { 200: ComplianceReportSchema, ...errors(400, 401, 403) },
      },
      onRequest: requireStaff('read_reports'),
    },
    async (request) => {
      const query = request.query;
      const from = parseBound(query.from, 'from');
      const to = parseBound(query.to, 'to');
      if (to <= from) throw new HttpError(400, 'invalid_request', '"to" must be after "from".', { field: 'to', fields: [{ field: 'to', code: 'invalid_range', message: '"to" must be after "from".' }] });
      return complianceReport(database, clock, from, to, actorOf(staffOf(request)).actor);
    },
  );
}
