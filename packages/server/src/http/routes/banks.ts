import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { signalTypes, type BankThresholds } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { PlatformInputError } from '../../services/platform-accounts.ts';
import { listBanks, updateBank } from '../../services/platform-banks.ts';
import { HttpError } from '../errors.ts';
import { SMALL_BODY_BYTES } from '../body-limits.ts';
import { errors } from '../schemas.ts';
import { PlainText } from '../schemas/plain-text.ts';
import { actorOf, requireStaff, staffOf } from '../staff-auth.ts';

/**
 * Per registered signal type, its settings (the schema follows the registry: each type's defaults), typed as
 * core's BankThresholds. Built when the routes are, so a type registered before the app is built has its own.
 */
function thresholdsSchema(partial: boolean) {
  const properties: Record<string, TSchema> = {};
  for (const type of signalTypes.all()) {
    const settings: Record<string, TSchema> = {};
    for (const [key, value] of Object.entries(type.thresholds.defaults)) {
      settings[key] = typeof value === 'boolean' ? Type.Boolean() : Type.Integer();
    }
    const object = Type.Object(settings, { additionalProperties: false, description: `${type.label}: by default ${type.thresholds.describe(type.thresholds.defaults)}.` });
    properties[type.name] = partial ? Type.Optional(Type.Partial(object, { additionalProperties: false })) : object;
  }
  return Type.Unsafe<BankThresholds>(Type.Object(properties, { additionalProperties: false }));
}

function bankSchemas() {
  const Bank = Type.Object({
    name: Type.String(),
    kind: Type.Union([Type.Literal('confirmed'), Type.Literal('imported')]),
    enabled: Type.Boolean(),
    thresholds: thresholdsSchema(false),
    followed: Type.Optional(
      Type.Object(
        { source: Type.String(), trust: Type.Union([Type.Literal('review'), Type.Literal('block')]) },
        { description: 'Set for a bank filled by a followed feed (takedown exchange follow): the source, and what its hashes may do.' },
      ),
    ),
  });
  const BankChange = Type.Object({ enabled: Type.Optional(Type.Boolean()), thresholds: Type.Optional(thresholdsSchema(true)) }, { additionalProperties: false });
  return { Bank, BankChange };
}

/**
 * The hash banks for staff: every bank with its thresholds and size, and changes to thresholds or
 * enabled/disabled (audited with the old and new values, applied to upload checks at once), the same as
 * `takedown bank list` and `takedown bank set`.
 */
export default async function bankRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { Bank, BankChange } = bankSchemas();
  const { database, clock, platform } = app.services;
  app.get(
    '/v1/banks',
    {
      schema: {
        summary: 'The hash banks, their thresholds and how many hashes each holds',
        tags: ['banks'],
        response: { 200: Type.Object({ banks: Type.Array(Type.Intersect([Bank, Type.Object({ hashes: Type.Integer() })])) }), ...errors(401, 403) },
      },
      onRequest: requireStaff('read_reports'),
    },
    async () => ({ banks: await listBanks(database) }),
  );

  app.patch(
    '/v1/banks/:name',
    {
      schema: {
        summary: 'Change a bank\'s thresholds, or enable or disable it',
        tags: ['banks'],
        params: Type.Object({ name: PlainText({ maxLength: 63 }) }),
        body: BankChange,
        response: { 200: Bank, ...errors(400, 401, 403, 404, 413) },
      },
      bodyLimit: SMALL_BODY_BYTES,
      onRequest: [app.csrfProtection, requireStaff('manage_platforms')],
    },
    async (request) => {
      try {
        const bank = await updateBank(database, clock, request.params.name, request.body, actorOf(staffOf(request)).actor);
        await platform.sync();
        return bank;
      } catch (error) {
        if (!(error instanceof PlatformInputError)) throw error;
        if (error.field === 'bank') throw new HttpError(404, 'not_found', error.message);
        throw new HttpError(400, 'invalid_request', error.message, { field: error.field, fields: [{ field: error.field, code: 'invalid_value', message: error.message }] });
      }
    },
  );
}
