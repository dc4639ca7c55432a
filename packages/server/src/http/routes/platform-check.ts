import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { signalTypes, type SignalValues } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { readSignalFields, signalFieldList, type EntryProblem } from '../../platform/content-entry.ts';
import type { PlatformRuntime } from '../../services/platform-runtime.ts';
import { decideVerdict, uploaderReason } from '../../platform/verdict.ts';
import { recordFlaggedCheck } from '../../services/upload-checks.ts';
import { assertMatches } from '../check-against-schema.ts';
import { invalidRequest } from '../errors.ts';
import { addToCompletionLine } from '../request-log.ts';
import { errors } from '../schemas.ts';
import { hashFields } from '../schemas/hash-fields.ts';
import { PlainText } from '../schemas/plain-text.ts';
import { platformOf, requirePlatform, type KeyCache } from './platform-key-auth.ts';
import { readHashedUpload } from './platform-upload.ts';

const ContentId = PlainText({ minLength: 1, maxLength: 256, description: 'Your id for the upload; echoed in a check.review event.' });

/** The check's JSON body: every registered signal type's fields (built when the routes are, after registration). */
function checkBody() {
  return Type.Object({ ...hashFields(), contentId: Type.Optional(ContentId) }, { additionalProperties: false });
}

/** A multipart upload's text fields: the JSON form's rules; other fields are ignored. */
const UploadFields = Type.Object({ contentId: Type.Optional(ContentId) });

const CheckResult = Type.Object({
  checkId: Type.String(),
  verdict: Type.Union([Type.Literal('block'), Type.Literal('review'), Type.Literal('allow')]),
  reason: Type.String({ description: 'What the uploader may be told. Never names or hints at who asked for the removal.' }),
  matches: Type.Array(
    Type.Object({
      bank: Type.String(),
      from: Type.String({ description: 'Where the banked hash came from: confirmed here, an imported list, or a followed feed (with its trust).' }),
      itemId: Type.Optional(Type.String({ description: 'The confirmed item this upload matches: only for items your platform hosts (your content index holds it, or you declare the host of its address).' })),
      distance: Type.Integer(),
      signal: Type.String({ description: `The signal type that matched: ${signalTypes.names().join(', ')}.` }),
      queryMatchPercent: Type.Optional(Type.Number({ description: 'vPDQ: share of the upload\'s frames found in the banked video.' })),
      comparedMatchPercent: Type.Optional(Type.Number({ description: 'vPDQ: share of the banked video\'s frames found in the upload.' })),
    }),
  ),
});

/**
 * The upload check: before the platform publishes an upload, it asks whether it is a known NCII item.
 * Block only for exact/near-exact copies of confirmed items; review for anything else within 31 bits.
 */
export function checkRoutes(runtime: PlatformRuntime, cache: KeyCache) {
  return async function (fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const { clock, database } = app.services;
    // The JSON form is checked by its schema; a multipart body (the file itself) is hashed here, so its body is empty.
    app.post<{ Body: Static<ReturnType<typeof checkBody>> | undefined }>(
      '/v1/check',
      {
        onRequest: requirePlatform('check', cache),
        // the busiest route writes one line a request: the completion line, with the request line's fields
        config: { completionLineOnly: true },
        // The JSON form (a long video's vPDQ is the largest); a multipart file has its own limit, in the multipart reader.
        bodyLimit: app.services.config.requestBodyLimitBytes,
        schema: {
          summary: 'Check an upload against the hash banks',
          description:
            'JSON with the upload\'s hashes, or multipart with the image or video in "file" (images: PDQ with all 8 dihedral variants; videos: vPDQ, needs ffmpeg on the server, else 503; the bytes are not kept). A vPDQ match (≥ 80 % of frames both ways) is sent to review; only identical bytes of a confirmed video block.',
          tags: ['platform'],
          body: { content: { 'application/json': { schema: checkBody() } } },
          response: { 200: CheckResult, ...errors(400, 401, 403, 413, 415, 422, 503) },
        },
      },
      async (request) => {
        const platform = platformOf(request);
        let hashes: SignalValues;
        let contentId: string | undefined;
        if (request.isMultipart()) {
          const upload = await readHashedUpload(request, runtime.config, app.services);
          hashes = upload.hashes;
          assertMatches(request, UploadFields, upload.fields);
          contentId = upload.fields.contentId;
        } else {
          // Each type reads (and normalises) its fields; what a schema cannot say is checked here: at least one hash.
          const problems: EntryProblem[] = [];
          hashes = readSignalFields(request.body ?? {}, problems);
          contentId = request.body?.contentId;
          if (problems.length === 0 && Object.keys(hashes).length === 0) problems.push({ field: 'pdq', message: `Send at least one hash (${signalFieldList()}), or the image or video as multipart.` });
          if (problems.length > 0) throw invalidRequest(problems.map((p) => ({ field: p.field, code: 'invalid_value', message: p.message })));
        }
        // answered in the index's threads where it has them, so this thread serves other requests meanwhile
        const hits = await runtime.banks.lookupAsync(hashes);
        const decided = decideVerdict(hits);
        const checkId = randomUUID();
        // Every threshold used is logged with the verdict (DESIGN §1), on the request's completion line (one
        // line fewer per check); hashes and content ids are not.
        addToCompletionLine(request, { check: { checkId, platform: platform.platformName, verdict: decided.verdict, explanation: decided.explanation } });
        // Item ids only for the platform's own items (the service reads which those are): the verdict stays.
        const matches =
          decided.verdict === 'allow'
            ? decided.matches
            : await recordFlaggedCheck(database, clock, platform, { checkId, contentId, verdict: decided.verdict, explanation: decided.explanation, matches: decided.matches, uploaderReason: uploaderReason(decided.verdict) });
        return {
          checkId,
          verdict: decided.verdict,
          reason: uploaderReason(decided.verdict),
          matches: matches.map((m) => {
            const match: { bank: string; from: string; itemId?: string; distance: number; signal: string } = { bank: m.bank, from: m.from, distance: m.distance, signal: m.signal };
            if (m.itemId) match.itemId = m.itemId;
            if (m.detail) Object.assign(match, m.detail);
            return match;
          }),
        };
      },
    );
  };
}
