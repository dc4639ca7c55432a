import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { dsaReportCsv, TRANSPARENCY_DATABASE_COUNTRIES } from '@takedown/core';
import { dsaTransparencyReportFor } from '../../services/dsa-transparency-report.ts';
import { transparencyDatabaseExport } from '../../services/statement-of-reasons.ts';
import { HttpError } from '../errors.ts';
import { errors, Timestamp } from '../schemas.ts';
import { PlainText } from '../schemas/plain-text.ts';
import { requireStaff } from '../staff-auth.ts';
import { parseBound } from './reports.ts';

const Period = {
  from: PlainText({ maxLength: 40, description: 'A date (2026-01-01) or a date and time with a zone.' }),
  to: PlainText({ maxLength: 40, description: 'A date (2027-01-01) or a date and time with a zone.' }),
};

/** One statement in the Transparency Database API's field names (core's TransparencyDatabaseStatement). */
const TransparencyDatabaseStatementSchema = Type.Object(
  {
    decision_visibility: Type.Array(Type.String()),
    decision_ground: Type.String(),
    illegal_content_legal_ground: Type.String(),
    illegal_content_explanation: Type.String(),
    content_type: Type.Array(Type.String()),
    content_type_other: Type.Optional(Type.String()),
    category: Type.String(),
    category_specification: Type.Array(Type.String()),
    territorial_scope: Type.Array(Type.String(), { description: `All EU/EEA codes the API accepts (${TRANSPARENCY_DATABASE_COUNTRIES.length}): a removal applies everywhere.` }),
    content_date: Type.String({ description: 'YYYY-MM-DD: the earliest day takedown knew the content; the platform may put its upload date.' }),
    application_date: Type.String({ description: 'YYYY-MM-DD: when the removal took effect (or was decided, if not yet acknowledged).' }),
    decision_facts: Type.String(),
    source_type: Type.String(),
    automated_detection: Type.String(),
    automated_decision: Type.String(),
    puid: Type.String({ description: 'The item id, as in the removal webhook.' }),
  },
  { additionalProperties: false },
);

const Row = Type.Object({
  section: Type.String(),
  provision: Type.String(),
  field: Type.String(),
  value: Type.Union([Type.Number(), Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('filled'), Type.Literal('not_held'), Type.Literal('not_applicable')]),
  note: Type.String(),
});

function period(query: { from: string; to: string }): { from: Date; to: Date } {
  const from = parseBound(query.from, 'from');
  const to = parseBound(query.to, 'to');
  if (to <= from) throw new HttpError(400, 'invalid_request', '"to" must be after "from".', { field: 'to', fields: [{ field: 'to', code: 'invalid_range', message: '"to" must be after "from".' }] });
  return { from, to };
}

/**
 * The DSA exports for compliance staff (`create_export`: admins and auditors): the statements of reasons of a
 * period in the Transparency Database API's shape (Art. 24(5)), and the transparency report (Art. 15 and 24(1))
 * laid out after Implementing Regulation (EU) 2024/2835. Neither names a person.
 */
export default async function dsaReportRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { database, config } = app.services;

  app.get(
    '/v1/reports/dsa/statements',
    {
      schema: {
        summary: 'Statements of reasons for the removals decided in a period, in the DSA Transparency Database API’s shape',
        description:
          'The body of `POST /api/v1/statements` of the Transparency Database takes at most 100 statements: send `statements` in slices of 100. `puid` is the item id.',
        tags: ['reports'],
        querystring: Type.Object(Period, { additionalProperties: false }),
        response: { 200: Type.Object({ from: Timestamp, to: Timestamp, statements: Type.Array(TransparencyDatabaseStatementSchema) }), ...errors(400, 401, 403) },
      },
      onRequest: requireStaff('create_export'),
    },
    async (request) => {
      const { from, to } = period(request.query);
      return transparencyDatabaseExport(database, from, to, config.safeguards.appealDecisionHours);
    },
  );

  const TransparencyQuery = Type.Object(
    { ...Period, jurisdiction: Type.Optional(PlainText({ maxLength: 16, description: 'The cases counted: those of this jurisdiction (default EU), or `all`.' })) },
    { additionalProperties: false },
  );
  const load = (query: { from: string; to: string; jurisdiction?: string }) => {
    const { from, to } = period(query);
    const jurisdiction = (query.jurisdiction ?? 'EU').trim().toUpperCase();
    return dsaTransparencyReportFor(database, from, to, jurisdiction === 'ALL' ? 'all' : { jurisdiction });
  };

  app.get(
    '/v1/reports/dsa/transparency',
    {
      schema: {
        summary: 'The DSA transparency report for a period (Art. 15 and 24(1)), after the templates of Implementing Regulation (EU) 2024/2835',
        description: 'Each row is filled, not held (the provider fills it) or not applicable. `/v1/reports/dsa/transparency.csv` gives the same rows as RFC 4180 CSV.',
        tags: ['reports'],
        querystring: TransparencyQuery,
        response: { 200: Type.Object({ template: Type.String(), from: Type.String(), to: Type.String(), rows: Type.Array(Row) }), ...errors(400, 401, 403) },
      },
      onRequest: requireStaff('create_export'),
    },
    async (request) => load(request.query),
  );

  app.get(
    '/v1/reports/dsa/transparency.csv',
    {
      schema: {
        summary: 'The DSA transparency report as RFC 4180 CSV (UTF-8): section, provision, field, value, status, note',
        tags: ['reports'],
        querystring: TransparencyQuery,
        response: { 200: Type.String({ description: 'text/csv' }), ...errors(400, 401, 403) },
      },
      onRequest: requireStaff('create_export'),
    },
    async (request, reply) => {
      const report = await load(request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="dsa-transparency-${report.from.slice(0, 10)}-${report.to.slice(0, 10)}.csv"`)
        .send(dsaReportCsv(report));
    },
  );
}
