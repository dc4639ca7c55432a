import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { checkReportLink } from '../../services/report-link.ts';
import { SMALL_BODY_BYTES } from '../body-limits.ts';
import { invalidRequest } from '../errors.ts';
import { errors } from '../schemas.ts';
import { PlainText } from '../schemas/plain-text.ts';

const CheckBody = Type.Object(
  {
    url: PlainText({ minLength: 1, maxLength: 8192, description: 'The address the "report" link or button handed over.' }),
    platform: Type.Optional(PlainText({ minLength: 1, maxLength: 200, description: 'The `platform=` of the link: the platform name the operator gave it.' })),
  },
  { additionalProperties: false },
);

const CheckAnswer = Type.Object({
  host: Type.String({ description: 'The host of the address, lower-case ASCII.' }),
  hostedBy: Type.Union([Type.String(), Type.Null()], { description: 'The connected platform that declares this host, or null.' }),
  platformKnown: Type.Union([Type.Boolean(), Type.Null()], { description: 'Whether `platform` names a connected platform; null when none was given.' }),
  onPlatform: Type.Boolean({ description: 'The address is on a host the named platform declares (or, with no platform named, any connected platform).' }),
});

/**
 * The request form's check of a link prefilled from a platform's "report" menu or report button
 * (docs/platform.md, "Report from your pages"). The address travels in the body, never in the query string,
 * so it stays out of access logs; nothing is stored.
 */
export default async function reportLinkRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { database } = app.services;
  app.post(
    '/v1/report-links/check',
    {
      bodyLimit: SMALL_BODY_BYTES,
      schema: {
        summary: 'Whether a reported address is on the hosts a platform declares',
        description: 'Used by the request form when it opens from `/request?url=…&platform=…`. Nothing is stored.',
        tags: ['requests'],
        body: CheckBody,
        response: { 200: CheckAnswer, ...errors(400, 413, 429) },
      },
      config: { rateLimit: { max: 60, timeWindow: 60_000 } },
    },
    async (request) => {
      const result = await checkReportLink(database, request.body);
      if (result.kind === 'invalid') throw invalidRequest([{ field: 'url', code: result.code, message: result.message }]);
      const { kind: _kind, ...answer } = result;
      return answer;
    },
  );
}
