import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ListedHash } from '../../platform/hash-list.ts';
import { bankNameFromHma, hmaBankName, hmaSignalName, hmaSignalType, hmaSignalTypes } from '../../platform/hma-names.ts';
import { PlatformInputError } from '../../services/platform-accounts.ts';
import { addContentSignals, ConfirmedBankError } from '../../services/platform-banks.ts';
import type { HmaContext } from './hma-context.ts';
import { HttpError, invalidRequest } from '../errors.ts';
import { errors } from '../schemas.ts';
import { PlainText } from '../schemas/plain-text.ts';
import { platformOf, requirePlatform, type KeyCache } from './platform-key-auth.ts';

/** HMA's body: signals by HMA signal type name, and an optional note (at most 255 characters, HMA's limit). */
const SignalsBody = Type.Object(
  { note: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()], { description: 'Accepted as HMA does and not kept: bank rows hold hashes only.' })) },
  { additionalProperties: Type.String({ minLength: 1 }), description: 'Signals by HMA signal type name: { "pdq": "…64 hex…", "video_md5": "…" }.' },
);

/** HMA's curation routes (its `/c` blueprint) that platforms call: list banks, add a hash to a bank. */
export function hmaCurationRoutes({ runtime, requireHmaKey }: HmaContext, cache: KeyCache) {
  return async function (fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['hma'];

    app.get(
      '/c/banks',
      {
        onRequest: requireHmaKey,
        schema: {
          summary: 'HMA: list the banks',
          description: 'Every bank, its name in HMA\'s upper case; matching_enabled_ratio is 1 for an enabled bank and 0 for a disabled one.',
          tags,
          response: { 200: Type.Array(Type.Object({ name: Type.String(), matching_enabled_ratio: Type.Number() })), ...errors(401, 403) },
        },
      },
      async () =>
        runtime.banks
          .banks()
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((b) => ({ name: hmaBankName(b.name), matching_enabled_ratio: b.enabled ? 1 : 0 })),
    );

    app.post(
      '/c/bank/:bank/signal',
      {
        onRequest: requirePlatform('banks', cache),
        // A video's vPDQ is the largest signal (≈ 100 bytes a second).
        bodyLimit: app.services.config.requestBodyLimitBytes,
        schema: {
          summary: 'HMA: add hashes to a bank',
          description: 'Adds one piece of content\'s signals to an imported bank (never the confirmed bank, which reviewers fill). Its hashes send matching uploads to review. Answers the content id and the signals as stored.',
          tags,
          params: Type.Object({ bank: PlainText({ minLength: 1, maxLength: 63 }) }),
          body: SignalsBody,
          response: { 200: Type.Object({ id: Type.Integer(), signals: Type.Record(Type.String(), Type.String()) }), ...errors(400, 401, 403, 404, 413, 415) },
        },
      },
      async (request) => {
        const signals = readSignals(request.body);
        try {
          const added = await addContentSignals(app.services.database, app.services.clock, bankNameFromHma(request.params.bank), signals, `platform:${platformOf(request).keyId}`);
          await runtime.sync();
          return { id: added.id, signals: Object.fromEntries(signals.map((s) => [s.hmaName, s.text])) };
        } catch (error) {
          if (error instanceof ConfirmedBankError) throw new HttpError(403, 'confirmed_bank', error.message, { field: 'bank' });
          if (error instanceof PlatformInputError) throw new HttpError(404, 'not_found', `bank '${request.params.bank}' not found: create it first (takedown bank create ${bankNameFromHma(request.params.bank)}).`, { field: 'bank' });
          throw error;
        }
      },
    );
  };
}

/** The body's signals, each read by the type HMA names; every problem named, as HMA's messages word them. */
function readSignals(body: Record<string, unknown>): (ListedHash & { hmaName: string; text: string })[] {
  const signals: (ListedHash & { hmaName: string; text: string })[] = [];
  const problems: { field: string; code: string; message: string }[] = [];
  for (const [name, raw] of Object.entries(body)) {
    if (name === 'note') continue;
    const type = hmaSignalType(name);
    if (!type) {
      problems.push({ field: name, code: 'unknown_signal_type', message: `No such signal type ${name} (known: ${hmaSignalTypes().map((t) => t.hmaName).join(', ')})` });
      continue;
    }
    const read = type.parseText(String(raw));
    if (!read.ok) problems.push({ field: name, code: 'invalid_signal', message: `Invalid ${name} signal: ${read.message}` });
    else signals.push({ signal: type.name, value: read.value, hmaName: hmaSignalName(type), text: type.formatText(read.value) });
  }
  if (problems.length > 0) throw invalidRequest(problems);
  if (signals.length === 0) throw new HttpError(400, 'invalid_request', `No signals given: send at least one, e.g. { "pdq": "…64 hex…" } (types: ${hmaSignalTypes().map((t) => t.hmaName).join(', ')}).`);
  return signals;
}
