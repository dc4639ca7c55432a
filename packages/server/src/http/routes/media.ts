import { createHash } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import sharp from 'sharp';
import { Type } from 'typebox';
import { ImageDecodeError, probeImage } from '../../media/decode-image.ts';
import { mayShareItemCopy, shareItemCopy, viewSharedCopy, type ShareCopyResult } from '../../services/shared-media.ts';
import { HttpError, invalidRequest } from '../errors.ts';
import { errors, Uuid } from '../schemas.ts';
import { actorOf, requireStaff, staffOf } from '../staff-auth.ts';
import { PIN_GUESSES, PIN_HEADER, PinHeaders, refusePinInUrl, requesterArgs } from './requests.ts';
import { waitBeforeGuessing, wrongPin } from '../guess-answers.ts';
import { PlainText } from '../schemas/plain-text.ts';

/**
 * Opt-in media. Only when the requester ticked "share a copy with reviewers" (the case's share_media) may the
 * browser upload a picture for one of its items; the bytes are stored encrypted (media/shared-copies.ts) in
 * `<dataDir>/media/`. Reviewers who may see the item get a blurred greyscale preview made here; the clear
 * picture is sent only in answer to an explicit unblur, which is audited. Withdrawal and retention erase it.
 */

/** Same ceiling as the browser's check before hashing. */
export const MAX_MEDIA_BYTES = 200 * 1024 * 1024;
const MAX_PIXELS = 100_000_000;
// HEIC is taken in only to be answered by name (415 with how to send a JPEG), not with "send JSON".
const MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/tiff', 'image/avif', 'image/heic', 'image/heif', 'application/octet-stream'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECODE_STATUS: Record<ImageDecodeError['code'], number> = { not_an_image: 415, image_too_large: 413, image_corrupt: 422 };
const ItemParams = Type.Object({ caseNumber: PlainText({ maxLength: 32 }), itemId: Uuid });

/** A refusal to take a copy, as its HTTP answer (nothing for `ok`). */
function refuseCopy(result: ShareCopyResult, now: Date): void {
  if (result.kind === 'locked') throw waitBeforeGuessing(result.until, now, PIN_GUESSES);
  if (result.kind === 'not_found') throw wrongPin(result);
  if (result.kind === 'closed') throw new HttpError(409, 'case_closed', `This case is ${result.state}; no copy is kept for it any more.`);
  if (result.kind === 'not_opted_in') throw new HttpError(409, 'not_opted_in', 'This request did not choose to share copies with reviewers, so no copy is accepted.');
  if (result.kind === 'no_such_item') throw new HttpError(404, 'not_found', 'This case has no item with that id.');
  if (result.kind === 'item_withdrawn') throw new HttpError(409, 'item_already_withdrawn', 'This item is withdrawn; no copy is kept for it any more.');
  if (result.kind === 'other_file') throw new HttpError(400, 'invalid_request', 'This file is not the picture listed for this item (its SHA-256 differs).', { field: 'body' });
}

/** A stored copy that libvips cannot read any more (saved before uploads were decoded in full): 422, not 500. */
function unreadableCopy(): HttpError {
  return new HttpError(422, 'media_unreadable', 'The shared copy of this item is damaged and cannot be shown. Decide from the hashes and links, or ask for the item to be shared again.');
}

export default async function mediaRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { database, keys, clock, sharedCopies } = app.services;

  /**
   * Before the picture's bytes are read: the case number, PIN, item and the request's choice to share are
   * checked, so nobody without the case's PIN can make the server read (up to MAX_MEDIA_BYTES) or decode.
   */
  const mayShare: onRequestAsyncHookHandler = async (request) => {
    const params = request.params as { caseNumber?: string; itemId?: string };
    if (!params.itemId || !UUID.test(params.itemId)) {
      throw invalidRequest([{ field: 'itemId', code: 'invalid_format', message: 'The item id in the address must be an id such as 0b6f7c1e-3c2a-4d5e-9f10-2a3b4c5d6e7f.' }]);
    }
    const header = request.headers[PIN_HEADER];
    const attempt = requesterArgs({ caseNumber: params.caseNumber ?? '' }, { [PIN_HEADER]: Array.isArray(header) ? header[0] : header }, request.ip);
    refuseCopy(await mayShareItemCopy({ database, keys, clock }, { ...attempt, itemId: params.itemId }), clock.now());
  };

  /** Decodes a picture within the server's decode budget; undecodable pictures become 415/413/422. */
  async function decodeWithin<T>(bytes: Buffer, field: string, render: (bytes: Buffer) => Promise<T>): Promise<T> {
    try {
      const probe = await probeImage(bytes, { maxPixels: MAX_PIXELS });
      return await app.services.decodeBudget.run(probe.decodeBytes + bytes.length, () => render(bytes));
    } catch (error) {
      if (error instanceof ImageDecodeError) throw new HttpError(DECODE_STATUS[error.code], error.code, error.message, { field });
      if (error instanceof Error && /vips|sharp|Input|corrupt|premature|truncat/i.test(error.message)) {
        throw new HttpError(422, 'image_corrupt', 'This picture could not be read completely; it may be damaged or cut short. Try the original file.', { field });
      }
      throw error;
    }
  }

  // Small first, then a strong blur: the shapes stay recognisable enough to triage, the detail does not.
  const blurredPreview = (bytes: Buffer) =>
    sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error' })
      .rotate()
      .resize({ width: 480, height: 480, fit: 'inside', withoutEnlargement: true })
      .greyscale()
      .blur(18)
      .toColourspace('b-w')
      .jpeg({ quality: 70 })
      .toBuffer();

  // Raw picture bytes, only on these routes (the rest of the API takes JSON with a small body limit).
  app.addContentTypeParser(MEDIA_TYPES, { parseAs: 'buffer', bodyLimit: MAX_MEDIA_BYTES }, (_request, body, done) => done(null, body));

  app.post(
    '/v1/cases/:caseNumber/items/:itemId/media',
    {
      schema: {
        summary: 'Share a copy of one item with reviewers (only if the request opted in); stored encrypted',
        tags: ['requests'],
        params: ItemParams,
        headers: PinHeaders,
        consumes: MEDIA_TYPES,
        response: { 201: Type.Object({ stored: Type.Boolean() }), ...errors(400, 404, 409, 413, 415, 422, 429, 503) },
      },
      bodyLimit: MAX_MEDIA_BYTES,
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      onRequest: [refusePinInUrl, mayShare],
    },
    async (request, reply) => {
      const { itemId } = request.params;
      const attempt = requesterArgs(request.params, request.headers, request.ip);
      // The picture's bytes, as the content type parser above read them (no schema: they are not JSON).
      const bytes = request.body;
      if (!Buffer.isBuffer(bytes) || bytes.length === 0) {
        throw new HttpError(400, 'invalid_request', 'Send the picture file as the request body (Content-Type image/jpeg, image/png, …).', { field: 'body' });
      }
      // Decode it in full before anything is stored, the way the preview will: a damaged or cut-short picture
      // is refused now, instead of being kept and failing when a reviewer opens it.
      await decodeWithin(bytes, 'body', blurredPreview);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const result = await shareItemCopy({ database, keys, clock }, { ...attempt, itemId, bytes: bytes.length, sha256 }, () => sharedCopies.save(itemId, bytes));
      refuseCopy(result, clock.now());
      return reply.code(201).send({ stored: true });
    },
  );

  /** The copy for a reviewer who may see the item (the senior queue is for senior reviewers), or the HTTP error. */
  async function sharedCopyFor(request: FastifyRequest, itemId: string, unblur: boolean): Promise<Buffer> {
    const result = await viewSharedCopy({ database, clock }, actorOf(staffOf(request)), { itemId, unblur }, () => sharedCopies.open(itemId));
    if (result.kind === 'not_found') throw new HttpError(404, 'not_found', 'There is no item with this id.');
    if (result.kind === 'forbidden') throw new HttpError(403, 'forbidden', result.message);
    if (result.kind === 'no_media') throw new HttpError(404, 'no_media', 'No copy of this item is kept: none was shared, or the case was withdrawn or its personal data deleted.');
    return result.bytes;
  }

  /** A stored copy that cannot be decoded is the copy's fault, not the reviewer's request: 422 that says so. */
  function storedCopyError(error: unknown): never {
    if (error instanceof HttpError && [413, 415, 422].includes(error.statusCode)) throw unreadableCopy();
    throw error;
  }

  const ReviewParams = Type.Object({ id: Uuid });

  app.get(
    '/v1/review/items/:id/media/preview',
    {
      schema: {
        summary: 'The shared copy, blurred and in greyscale (JPEG)',
        tags: ['review'],
        params: ReviewParams,
        response: { ...errors(400, 401, 403, 404, 422, 503) },
      },
      preHandler: requireStaff('view_case', 'unblur_media'),
    },
    async (request, reply) => {
      const plain = await sharedCopyFor(request, request.params.id, false);
      const preview = await decodeWithin(plain, 'media', blurredPreview).catch(storedCopyError);
      return reply.header('cache-control', 'no-store').type('image/jpeg').send(preview);
    },
  );

  app.post(
    '/v1/review/items/:id/media/unblur',
    {
      schema: {
        summary: 'The shared copy in clear (JPEG, metadata stripped); every unblur is recorded in the audit log',
        tags: ['review'],
        params: ReviewParams,
        response: { ...errors(400, 401, 403, 404, 422, 503) },
      },
      onRequest: app.csrfProtection,
      preHandler: requireStaff('unblur_media'),
    },
    async (request, reply) => {
      const { id } = request.params;
      const plain = await sharedCopyFor(request, id, true);
      const clear = await decodeWithin(plain, 'media', (bytes) =>
        sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error' })
          .rotate()
          .resize({ width: 1600, height: 1600, fit: 'inside', withoutEnlargement: true })
          .jpeg({ quality: 85 })
          .toBuffer(),
      ).catch(storedCopyError);
      return reply.header('cache-control', 'no-store').header('x-item-id', id).type('image/jpeg').send(clear);
    },
  );
}
