import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { signalTypes, type SignalValues } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { hmaSignalName } from '../../platform/hma-names.ts';
import { errors } from '../schemas.ts';
import type { HmaContext } from './hma-context.ts';
import { fetchHmaMedia, hashHmaMedia, readHmaUpload, selectSignalTypes } from './hma-media.ts';

const Types = Type.String({ maxLength: 256, description: 'Comma-separated signal types to compute (default: every type for the content type).' });
const Hashes = Type.Record(Type.String(), Type.String(), { description: 'Hash by HMA signal type name: { "pdq": "…64 hex…", "video_md5": "…" }.' });

/** HMA's hashing routes (its `/h` blueprint): the hashes of a file or of the content at a URL; nothing is kept. */
export function hmaHashingRoutes({ runtime, hashing, connect, requireHmaKey: onRequest }: HmaContext) {
  return async function (fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['hma'];

    app.get(
      '/h/hash',
      {
        onRequest,
        schema: {
          summary: 'HMA: hash the content at a URL',
          description: 'Fetches the URL (size and time capped: TAKEDOWN_URL_FETCH_MAX_BYTES, TAKEDOWN_URL_FETCH_TIMEOUT_MS) and answers its hashes; the bytes are dropped.',
          tags,
          querystring: Type.Object(
            { url: Type.String({ minLength: 1, maxLength: 8192 }), content_type: Type.Optional(Type.String({ maxLength: 64, description: 'photo or video' })), types: Type.Optional(Types) },
            { additionalProperties: false },
          ),
          response: { 200: Hashes, ...errors(400, 401, 403, 413, 415, 422, 503) },
        },
      },
      async (request) => {
        const media = await fetchHmaMedia(request.query.url, request.query.content_type, runtime.config, connect);
        return hmaHashes(await hashHmaMedia(media, selectSignalTypes(media.content, request.query.types), hashing, 'url'));
      },
    );

    app.post(
      '/h/hash',
      {
        onRequest,
        schema: {
          summary: 'HMA: hash an uploaded file',
          description: 'Multipart with one file in a field named for its content type (photo or video); the bytes are dropped.',
          tags,
          querystring: Type.Object({ types: Type.Optional(Types) }, { additionalProperties: false }),
          response: { 200: Hashes, ...errors(400, 401, 403, 413, 415, 422, 503) },
        },
      },
      async (request) => {
        const media = await readHmaUpload(request, runtime.config);
        return hmaHashes(await hashHmaMedia(media, selectSignalTypes(media.content, request.query.types), hashing, media.content));
      },
    );
  };
}

/** Signal values as HMA answers them: each type's text form under its HMA name. */
function hmaHashes(values: SignalValues): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const type = signalTypes.get(name);
    if (type) hashes[hmaSignalName(type)] = type.formatText(value);
  }
  return hashes;
}
