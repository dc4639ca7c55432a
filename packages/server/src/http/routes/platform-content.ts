import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { signalTypes } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { readContentEntry, type EntryProblem } from '../../platform/content-entry.ts';
import type { PlatformRuntime } from '../../services/platform-runtime.ts';
import { deleteContent, upsertContent, type ContentInput } from '../../services/platform-content.ts';
import { HttpError, invalidRequest } from '../errors.ts';
import { assertMatches } from '../check-against-schema.ts';
import { fieldErrorsFromSchema } from '../validation-errors.ts';
import { errors } from '../schemas.ts';
import { hashFields } from '../schemas/hash-fields.ts';
import { PlainText } from '../schemas/plain-text.ts';
import { platformOf, requirePlatform, type KeyCache } from './platform-key-auth.ts';
import { readHashedUpload } from './platform-upload.ts';

/**
 * One piece of content the platform hosts, as JSON: its id, its media type and its signals (hashes, and its
 * address as the `url` signal). Built when the routes are, so every registered signal type is accepted.
 */
function contentEntrySchema() {
  return Type.Object(
    {
      contentId: PlainText({ minLength: 1, maxLength: 256, description: 'Your id for this content; registering it again updates it.' }),
      // readContentEntry checks the form (image/… or video/…, in any case, as NDJSON lines are).
      mediaType: Type.Optional(PlainText({ maxLength: 80, description: 'An image/… or video/… media type, such as image/jpeg.' })),
      ...hashFields(),
    },
    { additionalProperties: false },
  );
}

const WriteSummary = Type.Object({
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
});

const BatchSummary = Type.Object({
  lines: Type.Integer(),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  rejected: Type.Integer(),
  errors: Type.Array(Type.Object({ line: Type.Integer(), field: Type.String(), message: Type.String() }), { description: 'The first 100 rejected lines.' }),
});

/** Rows written per transaction in a streamed batch: big enough to be quick, small enough to keep locks short. */
const CHUNK = 1000;

function rejectEntry(problems: EntryProblem[]): never {
  throw invalidRequest(problems.map((p) => ({ field: p.field, code: 'invalid_value', message: p.message })));
}

/** The platform's content index: register (hashes or bytes), backfill in bulk, delete. */
export function contentRoutes(runtime: PlatformRuntime, cache: KeyCache) {
  return async function (fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const { clock, database } = app.services;
    const config = runtime.config;
    const ContentEntry = contentEntrySchema();

    // Backfills arrive as NDJSON streams: parsed line by line below, never buffered whole.
    app.addContentTypeParser('application/x-ndjson', (_request, payload, done) => done(null, payload));

    // The JSON form is checked by its schema; a multipart body (the file itself) is hashed here, so its body is empty.
    app.post<{ Body: Static<ReturnType<typeof contentEntrySchema>> | undefined }>(
      '/v1/content',
      {
        onRequest: requirePlatform('content', cache),
        // The JSON form (a long video's vPDQ is the largest); a multipart file has its own limit, in the multipart reader.
        bodyLimit: app.services.config.requestBodyLimitBytes,
        schema: {
          summary: 'Register one piece of content the platform hosts',
          description:
            'JSON with contentId, url and hashes (pdq, pdqQuality, md5, sha256; for a video, vpdq: [{ index, timestamp, hash, quality }]), or multipart with fields contentId, url and the image or video in "file" (hashed here, bytes not kept; a video needs ffmpeg on the server, else 503). Idempotent on contentId.',
          tags: ['platform'],
          body: { content: { 'application/json': { schema: ContentEntry } } },
          response: { 200: WriteSummary, ...errors(400, 401, 403, 413, 415, 422, 503) },
        },
      },
      async (request) => {
        const platform = platformOf(request);
        let entry: ContentInput;
        if (request.isMultipart()) {
          const upload = await readHashedUpload(request, config, app.services);
          // The part's own type is a hint only (browsers send application/octet-stream for unknown files).
          const partType = /^(image|video)\/[a-z0-9.+-]{1,60}$/i.test(upload.mediaType) ? upload.mediaType : undefined;
          const fields = { ...upload.fields, ...signalTypes.writeAll(upload.hashes), mediaType: upload.fields.mediaType ?? partType };
          assertMatches(request, ContentEntry, fields);
          const read = readContentEntry(fields);
          if (!read.entry) rejectEntry(read.problems);
          entry = read.entry;
        } else {
          // Only a JSON body was checked by the schema: NDJSON (parsed as a stream in this plugin) is for batches.
          if (request.body !== undefined && request.mediaType !== 'application/json') {
            throw new HttpError(415, 'unsupported_media_type', 'Send one entry as JSON, or the file as multipart; NDJSON backfills go to POST /v1/content/batch.');
          }
          // Lowercases the hashes and checks what the schema cannot (at least one hash, vPDQ frame order).
          const read = readContentEntry(request.body ?? {});
          if (!read.entry) rejectEntry(read.problems);
          entry = read.entry;
        }
        const summary = await upsertContent(database, platform.platformId, [entry], clock.now());
        await runtime.sync();
        return summary;
      },
    );

    app.post(
      '/v1/content/batch',
      {
        onRequest: requirePlatform('content', cache),
        // A JSON array is read whole, so it has the JSON limit; NDJSON is streamed and limited in lines instead.
        bodyLimit: app.services.config.requestBodyLimitBytes,
        config: { bodyTooLarge: (limit: string) => `A JSON array batch can be at most ${limit}. Send larger backfills as NDJSON (Content-Type: application/x-ndjson), which is read line by line.` },
        schema: {
          summary: 'Register content in bulk (backfills)',
          description:
            'Body: NDJSON (Content-Type: application/x-ndjson), one content entry per line, as many as a backfill needs (streamed); or a JSON array. Idempotent on contentId: a backfill that was cut short can be sent again. Lines with problems are reported and skipped; the others are stored.',
          tags: ['platform'],
          response: { 200: BatchSummary, ...errors(400, 401, 403, 413, 415) },
        },
      },
      async (request) => {
        const platform = platformOf(request);
        const result = { lines: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, errors: [] as { line: number; field: string; message: string }[] };
        let pending: ContentInput[] = [];
        const flush = async () => {
          if (pending.length === 0) return;
          const summary = await upsertContent(database, platform.platformId, pending, clock.now());
          result.inserted += summary.inserted;
          result.updated += summary.updated;
          result.unchanged += summary.unchanged;
          pending = [];
          await runtime.sync();
        };
        // Each line is checked against the same schema as a single entry (same Ajv, same words), then read.
        const checkEntry = request.compileValidationSchema(ContentEntry, 'body');
        const take = async (value: unknown, line: number) => {
          if (!checkEntry(value)) {
            const [first] = fieldErrorsFromSchema(checkEntry.errors ?? [], 'body');
            result.rejected += 1;
            if (result.errors.length < 100) result.errors.push({ line, field: first?.field || 'line', message: first?.message ?? 'This line is not a content entry.' });
            return;
          }
          const read = readContentEntry(value);
          if (!read.entry) {
            result.rejected += 1;
            if (result.errors.length < 100) result.errors.push({ line, field: read.problems[0].field, message: read.problems[0].message });
            return;
          }
          pending.push(read.entry);
          if (pending.length >= CHUNK) await flush();
        };
        if (Array.isArray(request.body)) {
          for (const value of request.body) await take(value, ++result.lines);
        } else if (request.headers['content-type']?.startsWith('application/x-ndjson')) {
          if (!(request.body instanceof Readable)) throw new HttpError(400, 'invalid_request', 'Send the batch as the request body, one JSON object per line.');
          const lines = createInterface({ input: request.body, crlfDelay: Infinity });
          for await (const text of lines) {
            result.lines += 1;
            if (result.lines > config.maxBatchLines) {
              throw new HttpError(413, 'batch_too_large', `A batch holds at most ${config.maxBatchLines.toLocaleString('en')} lines; the first ${result.inserted + result.updated + result.unchanged} entries were stored. Send the rest in another call.`);
            }
            if (text.trim() === '') continue;
            let value: unknown;
            try {
              value = JSON.parse(text);
            } catch {
              result.rejected += 1;
              if (result.errors.length < 100) result.errors.push({ line: result.lines, field: 'line', message: 'This line is not valid JSON.' });
              continue;
            }
            await take(value, result.lines);
          }
        } else {
          throw new HttpError(415, 'unsupported_media_type', 'Send the batch as NDJSON (Content-Type: application/x-ndjson) or as a JSON array.');
        }
        await flush();
        return result;
      },
    );

    app.delete(
      '/v1/content/:contentId',
      {
        onRequest: requirePlatform('content', cache),
        schema: {
          summary: 'Remove content from the content index (it is no longer on the platform)',
          tags: ['platform'],
          params: Type.Object({ contentId: PlainText({ minLength: 1, maxLength: 256 }) }),
          response: { 200: Type.Object({ deleted: Type.Boolean() }), ...errors(401, 403, 404) },
        },
      },
      async (request) => {
        const platform = platformOf(request);
        const { contentId } = request.params;
        const deleted = await deleteContent(database, platform.platformId, contentId, clock.now());
        if (!deleted) throw new HttpError(404, 'content_not_found', 'This platform has no content registered under that id.');
        await runtime.sync();
        return { deleted };
      },
    );
  };
}
