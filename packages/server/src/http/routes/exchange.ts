import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { feedSigner } from '../../crypto/feed-signing.ts';
import { PAGE_FORMAT, SIGNATURE_HEADER } from '../../platform/exchange-page.ts';
import { acceptFeedback, FEED_PAGE_DEFAULT, FEED_PAGE_MAX, FEED_WAIT_MAX_MS, feedIdentity, FeedWatch, publishedFeedStatus, signedFeedPage } from '../../services/exchange-publish.ts';
import { listSources } from '../../services/exchange-sources.ts';
import { NO_BODY_BYTES } from '../body-limits.ts';
import { HttpError } from '../errors.ts';
import { errors, Timestamp, Uuid } from '../schemas.ts';
import { requireStaff } from '../staff-auth.ts';
import { keyCacheOf, platformOf, requirePlatform } from './platform-key-auth.ts';

const FEEDBACK_MAX = 1_000;

function wholeNumberParam(description: string, maxDigits: number) {
  return Type.String({ pattern: `^[0-9]{1,${maxDigits}}$`, description, 'x-expected': 'a whole number such as 0' });
}

const FeedEntry = Type.Object({
  seq: Type.Integer(),
  id: Uuid,
  signal: Type.String(),
  hash: Type.String(),
  value: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('active'), Type.Literal('withdrawn')]),
  changedAt: Type.String(),
});

/** Typed as the text the handler sends: the page is written once, signed as written and sent as signed. */
const FeedPageBody = Type.Unsafe<string>(
  Type.Object(
    {
      format: Type.Literal(PAGE_FORMAT),
      feed: Type.String(),
      after: Type.Integer(),
      through: Type.Integer(),
      head: Type.Integer(),
      nonce: Type.String(),
      entries: Type.Array(FeedEntry),
    },
    { description: `Canonical JSON (keys sorted, no whitespace). The ${SIGNATURE_HEADER} header holds Ed25519 over "${PAGE_FORMAT}\\n" + this body exactly as sent, base64url (docs/exchange.md).` },
  ),
);

/**
 * The exchange between deployments (docs/exchange.md). For followers (a platform API key with the
 * `exchange` scope): this deployment's identity, its signed feed of confirmed hashes and withdrawals, and
 * match feedback. For staff: the feeds this deployment follows, and its own feed's counts.
 */
export default async function exchangeRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { database, keys, clock } = app.services;
  const signer = feedSigner(keys.exchangeSigning);
  const watch = new FeedWatch(database, {
    onLost: (error) => app.log.warn({ err: error.message }, 'changes to this deployment\'s feed are not heard: waiting followers learn of new entries by a check every second until they are heard again'),
    onRestored: () => app.log.info('changes to this deployment\'s feed are heard again: waiting followers are answered at once again'),
  });
  const cache = await keyCacheOf(app);
  let closing = false;
  // Long polls end at once when the server stops, instead of holding the shutdown for their full wait.
  app.addHook('preClose', async () => {
    closing = true;
    await watch.close();
  });

  app.get(
    '/v1/exchange/identity',
    {
      onRequest: requirePlatform('exchange', cache),
      bodyLimit: NO_BODY_BYTES,
      schema: {
        summary: "This deployment's feed id and Ed25519 public key (compare it with the operator's copy before following)",
        tags: ['exchange'],
        response: { 200: Type.Object({ feed: Type.String(), publicKey: Type.String(), format: Type.String() }), ...errors(401, 403) },
      },
    },
    async () => feedIdentity(signer),
  );

  app.get(
    '/v1/exchange/feed',
    {
      onRequest: requirePlatform('exchange', cache),
      bodyLimit: NO_BODY_BYTES,
      schema: {
        summary: 'One signed page of confirmed hashes and withdrawals after a cursor (long poll with waitMs)',
        description: `Entries with seq > after, oldest first, at most limit (default ${FEED_PAGE_DEFAULT}, at most ${FEED_PAGE_MAX}). The nonce (16–64 base64url characters, new for each request) is signed into the page, so an old page served again does not verify. With waitMs (at most ${FEED_WAIT_MAX_MS}), the answer waits until there is something after the cursor or the time has passed.`,
        tags: ['exchange'],
        querystring: Type.Object(
          {
            after: wholeNumberParam('The cursor: the `through` of the last page applied (0 at first).', 15),
            limit: Type.Optional(wholeNumberParam('Entries per page.', 5)),
            nonce: Type.String({ pattern: '^[A-Za-z0-9_-]{16,64}$', 'x-expected': '16 to 64 random base64url characters, new for each request' }),
            waitMs: Type.Optional(wholeNumberParam('Hold the request open up to this many milliseconds while nothing is new.', 5)),
          },
          { additionalProperties: false },
        ),
        response: { 200: FeedPageBody, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const after = Number(request.query.after);
      const limit = request.query.limit === undefined ? FEED_PAGE_DEFAULT : Number(request.query.limit);
      const waitMs = request.query.waitMs === undefined ? 0 : Number(request.query.waitMs);
      if (!Number.isSafeInteger(after)) throw new HttpError(400, 'invalid_request', 'after is too large: send the `through` of the last page you applied.', { field: 'after' });
      if (limit < 1 || limit > FEED_PAGE_MAX) throw new HttpError(400, 'invalid_request', `limit must be from 1 to ${FEED_PAGE_MAX}.`, { field: 'limit' });
      if (waitMs > FEED_WAIT_MAX_MS) throw new HttpError(400, 'invalid_request', `waitMs must be at most ${FEED_WAIT_MAX_MS}.`, { field: 'waitMs' });
      const page = await signedFeedPage(database, signer, watch, { after, limit, nonce: request.query.nonce, waitMs }, () => closing || request.raw.destroyed);
      // Sent exactly as signed: never serialised a second time.
      return reply.type('application/json').header(SIGNATURE_HEADER, page.signature).send(page.body);
    },
  );

  app.post(
    '/v1/exchange/feedback',
    {
      onRequest: requirePlatform('exchange', cache),
      bodyLimit: 256 * 1024,
      schema: {
        summary: "A follower's reviewers' verdicts on matches of this feed's hashes",
        tags: ['exchange'],
        body: Type.Object(
          {
            feedback: Type.Array(
              Type.Object({ id: Uuid, verdict: Type.Union([Type.Literal('confirmed'), Type.Literal('false_positive')], { 'x-expected': 'confirmed or false_positive' }) }, { additionalProperties: false }),
              { minItems: 1, maxItems: FEEDBACK_MAX },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ recorded: Type.Integer(), unknown: Type.Integer({ description: 'Ids this feed never published (not kept).' }) }), ...errors(400, 401, 403, 413) },
      },
    },
    async (request) => acceptFeedback(database, clock, platformOf(request).platformId, request.body.feedback),
  );

  app.get(
    '/v1/exchange/status',
    {
      onRequest: requireStaff('read_reports'),
      bodyLimit: NO_BODY_BYTES,
      schema: {
        summary: 'The feeds this deployment follows (where their hashes come from) and the counts of its own feed',
        tags: ['exchange'],
        response: {
          200: Type.Object({
            feed: Type.Object({ feed: Type.String(), publicKey: Type.String(), active: Type.Integer(), withdrawn: Type.Integer(), head: Type.Integer(), feedback: Type.Object({ confirmed: Type.Integer(), falsePositive: Type.Integer() }) }),
            following: Type.Array(
              Type.Object({
                name: Type.String(),
                kind: Type.Union([Type.Literal('takedown'), Type.Literal('stopncii')], { description: 'another takedown deployment (signed feed) or StopNCII.org (FetchHashes; cursor: its checkpoint timestamp)' }),
                url: Type.String(),
                feed: Type.String(),
                trust: Type.Union([Type.Literal('review'), Type.Literal('block')]),
                bank: Type.String(),
                cursor: Type.Integer(),
                hashes: Type.Integer(),
                applied: Type.Integer(),
                rejected: Type.Integer(),
                failures: Type.Integer(),
                lastError: Type.Union([Type.String(), Type.Null()]),
                lastErrorAt: Type.Union([Timestamp, Type.Null()]),
                lastSuccessAt: Type.Union([Timestamp, Type.Null()]),
                feedbackPending: Type.Integer(),
                feedbackSent: Type.Integer(),
                followedAt: Timestamp,
              }),
            ),
          }),
          ...errors(401, 403),
        },
      },
    },
    async () => ({ feed: { feed: signer.feedId, publicKey: signer.publicKey, ...(await publishedFeedStatus(database)) }, following: await listSources(database) }),
  );
}
