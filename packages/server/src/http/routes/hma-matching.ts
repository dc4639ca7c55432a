import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { signalTypes, type SignalValues } from '@takedown/core';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { hmaBankFilter, hmaMatchesByBank, hmaRawMatches, type HmaMatch } from '../../platform/hma-matches.ts';
import { hmaSignalName, hmaSignalType, hmaSignalTypes } from '../../platform/hma-names.ts';
import { decideVerdict } from '../../platform/verdict.ts';
import { newestBankHashes } from '../../services/platform-banks.ts';
import { HttpError } from '../errors.ts';
import { errors } from '../schemas.ts';
import type { HmaContext } from './hma-context.ts';
import { fetchHmaMedia, hashHmaMedia, readHmaUpload, selectSignalTypes } from './hma-media.ts';
import { platformOf } from './platform-key-auth.ts';

/** HMA's booleans in a query, as its schema (pydantic) reads them. */
const QueryFlag = Type.String({ pattern: '^(true|false|True|False|TRUE|FALSE|1|0|yes|no|on|off)$', 'x-expected': 'true or false' });
function flagIsSet(flag: string | undefined): boolean {
  return flag !== undefined && /^(true|1|yes|on)$/i.test(flag);
}

const Banks = Type.String({ maxLength: 4096, description: 'Comma-separated bank names (any case): only matches in these banks.' });
const Seed = Type.String({ maxLength: 256, description: 'Accepted for HMA compatibility; takedown banks are on or off, so no coin is flipped.' });
const BypassCoinflip = { ...QueryFlag, description: 'true: also match in disabled banks (HMA: banks whose matching ratio is 0).' };
const SignalText = Type.String({ minLength: 1, maxLength: 4_000_000, description: 'The hash, as python-threatexchange writes it (PDQ: 64 hex).' });
const SignalTypeName = Type.String({ minLength: 1, maxLength: 64, description: 'HMA\'s signal type name: pdq, video_md5, video_sha256, vpdq, url.' });

const Match = Type.Object({ bank_content_id: Type.Integer(), distance: Type.String() });
const ByBank = Type.Record(Type.String(), Type.Array(Match), { description: 'Matches by bank: { "BANK": [{ bank_content_id, distance }] }.' });
const BySignalType = Type.Record(Type.String(), ByBank, { description: 'Matches by signal type, then bank.' });

/**
 * HMA's matching routes (its `/m` blueprint): look a hash, a file or a URL's content up in the banks. They
 * search the same in-memory bank index as `POST /v1/check`, with each bank's own thresholds.
 */
export function hmaMatchingRoutes({ runtime, hashing, connect, requireHmaKey: onRequest }: HmaContext) {
  return async function (fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['hma'];

    /** The hits of one signal type, logged with the thresholds that decided them (no hashes). */
    const search = (log: FastifyBaseLogger, platform: string, values: SignalValues, includeDisabled: boolean) => {
      const hits = runtime.banks.lookup(values, { includeDisabled });
      log.info({ hmaLookup: { platform, matches: hits.length, explanation: decideVerdict(hits).explanation } }, 'hma lookup');
      return hits;
    };
    const lookup = (log: FastifyBaseLogger, platform: string, values: SignalValues, banks: string | undefined, includeDisabled: boolean) =>
      hmaMatchesByBank(search(log, platform, values, includeDisabled), hmaBankFilter(banks));
    /** Matches of hashed media, keyed by HMA signal type name. */
    const lookupEach = (log: FastifyBaseLogger, platform: string, values: SignalValues, banks: string | undefined, includeDisabled: boolean) => {
      const bySignal: Record<string, Record<string, HmaMatch[]>> = {};
      for (const [name, value] of Object.entries(values)) {
        const type = signalTypes.get(name);
        if (type) bySignal[hmaSignalName(type)] = lookup(log, platform, { [name]: value }, banks, includeDisabled);
      }
      return bySignal;
    };

    app.get(
      '/m/raw_lookup',
      {
        onRequest,
        schema: {
          summary: 'HMA: look a hash up in every bank',
          description: 'HMA\'s raw lookup: every bank, enabled or not. Matches are bank content ids, or { bank_content_id, distance } with include_distance=true.',
          tags,
          querystring: Type.Object(
            { signal: SignalText, signal_type: SignalTypeName, banks: Type.Optional(Banks), include_distance: Type.Optional(QueryFlag) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ matches: Type.Array(Type.Union([Type.Integer(), Match])) }), ...errors(400, 401, 403) },
        },
      },
      async (request) => {
        const { signal, signal_type, banks, include_distance } = request.query;
        const hits = search(request.log, platformOf(request).platformName, readSignal(signal_type, signal), true);
        const matches = hmaRawMatches(hits, hmaBankFilter(banks));
        return { matches: flagIsSet(include_distance) ? matches : matches.map((m) => m.bank_content_id) };
      },
    );

    app.get(
      '/m/lookup',
      {
        onRequest,
        schema: {
          summary: 'HMA: look a hash, or the content at a URL, up in the enabled banks',
          description:
            'With signal and signal_type: matches by bank. With url: the content is fetched (size and time capped) and hashed, and the matches are by signal type, then bank (only that type\'s banks when signal_type is given too).',
          tags,
          querystring: Type.Object(
            {
              url: Type.Optional(Type.String({ minLength: 1, maxLength: 8192 })),
              content_type: Type.Optional(Type.String({ maxLength: 64, description: 'photo or video (else from the answer\'s Content-Type or the bytes).' })),
              types: Type.Optional(Type.String({ maxLength: 256, description: 'Comma-separated signal types to hash the URL\'s content with.' })),
              signal: Type.Optional(SignalText),
              signal_type: Type.Optional(SignalTypeName),
              banks: Type.Optional(Banks),
              seed: Type.Optional(Seed),
              bypass_coinflip: Type.Optional(BypassCoinflip),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Union([BySignalType, ByBank]), ...errors(400, 401, 403, 413, 415, 422, 503) },
        },
      },
      async (request) => {
        const query = request.query;
        const platform = platformOf(request).platformName;
        const includeDisabled = flagIsSet(query.bypass_coinflip);
        if (query.url === undefined) {
          if (!query.signal || !query.signal_type) throw new HttpError(400, 'invalid_request', 'Either url or both signal and signal_type are required', { field: 'signal' });
          return lookup(request.log, platform, readSignal(query.signal_type, query.signal), query.banks, includeDisabled);
        }
        const media = await fetchHmaMedia(query.url, query.content_type, runtime.config, connect);
        const values = await hashHmaMedia(media, selectSignalTypes(media.content, query.types), hashing, 'url');
        const bySignal = lookupEach(request.log, platform, values, query.banks, includeDisabled);
        return query.signal_type === undefined ? bySignal : (bySignal[query.signal_type] ?? {});
      },
    );

    app.post(
      '/m/lookup',
      {
        onRequest,
        schema: {
          summary: 'HMA: look an uploaded file up in the enabled banks',
          description: 'Multipart with one file in a field named for its content type (photo or video). Matches by signal type, then bank.',
          tags,
          querystring: Type.Object(
            { banks: Type.Optional(Banks), seed: Type.Optional(Seed), bypass_coinflip: Type.Optional(BypassCoinflip), types: Type.Optional(Type.String({ maxLength: 256 })) },
            { additionalProperties: false },
          ),
          response: { 200: BySignalType, ...errors(400, 401, 403, 413, 415, 422, 503) },
        },
      },
      async (request) => {
        const query = request.query;
        const media = await readHmaUpload(request, runtime.config);
        const values = await hashHmaMedia(media, selectSignalTypes(media.content, query.types), hashing, media.content);
        return lookupEach(request.log, platformOf(request).platformName, values, query.banks, flagIsSet(query.bypass_coinflip));
      },
    );

    app.get(
      '/m/index/status',
      {
        onRequest,
        schema: {
          summary: 'HMA: the state of the match index, per signal type',
          description: 'present: the index is loaded; built_to: when its newest hash was added (Unix seconds; -1 for none); size: hashes in it. takedown\'s index follows every change live.',
          tags,
          querystring: Type.Object({ signal_type: Type.Optional(SignalTypeName) }, { additionalProperties: false }),
          response: { 200: Type.Record(Type.String(), Type.Object({ present: Type.Boolean(), built_to: Type.Integer(), size: Type.Integer() })), ...errors(400, 401, 403) },
        },
      },
      async (request) => {
        const wanted = request.query.signal_type;
        const types = hmaSignalTypes().filter((t) => wanted === undefined || t.hmaName === wanted);
        if (types.length === 0) throw new HttpError(400, 'unknown_signal_type', `No such signal type '${wanted}' (known: ${hmaSignalTypes().map((t) => t.hmaName).join(', ')})`, { field: 'signal_type' });
        const newest = await newestBankHashes(app.services.database);
        const status: Record<string, { present: boolean; built_to: number; size: number }> = {};
        for (const { hmaName, type } of types) {
          const added = newest.get(type.name);
          status[hmaName] = { present: runtime.ready, built_to: added ? Math.floor(added.getTime() / 1000) : -1, size: runtime.banks.sizeOf(type.name) };
        }
        return status;
      },
    );
  };
}

/** A hash given as HMA's `signal_type` and `signal`, read by the signal type it names; 400 as HMA answers. */
function readSignal(signalType: string, signal: string): SignalValues {
  const type = hmaSignalType(signalType);
  if (!type) throw new HttpError(400, 'unknown_signal_type', `No such SignalType '${signalType}' (known: ${hmaSignalTypes().map((t) => t.hmaName).join(', ')})`, { field: 'signal_type' });
  const read = type.parseText(signal);
  if (!read.ok) throw new HttpError(400, 'invalid_signal', `invalid signal: ${read.message}`, { field: 'signal' });
  return { [type.name]: read.value };
}
