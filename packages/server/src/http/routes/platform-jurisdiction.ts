import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { platformJurisdiction, setPlatformJurisdiction, type PlatformJurisdictionSetting } from '../../services/platform-jurisdiction.ts';
import { SMALL_BODY_BYTES } from '../body-limits.ts';
import { HttpError, invalidRequest } from '../errors.ts';
import { errors } from '../schemas.ts';
import { PlainText } from '../schemas/plain-text.ts';
import { platformOf, requirePlatform, type KeyCache } from './platform-key-auth.ts';

const Setting = Type.Object({
  jurisdiction: Type.Union([Type.String(), Type.Null()], { description: 'The code set, or null: none set.' }),
  profile: Type.Union([
    Type.Object({
      code: Type.String(),
      removalDeadlineHours: Type.Number(),
      escalationAfterHours: Type.Array(Type.Number()),
      regulator: Type.Optional(Type.Object({ name: Type.String(), url: Type.String() })),
      legalGround: Type.Optional(Type.String()),
    }),
    Type.Null({ description: 'No setting, or a code this deployment no longer configures (then it is left out).' }),
  ]),
});

const SettingBody = Type.Object(
  { jurisdiction: Type.Union([PlainText({ minLength: 1, maxLength: 16 }), Type.Null()], { description: 'US, EU, UK, AU or a code the deployment configures; null clears it.' }) },
  { additionalProperties: false },
);

function answer(setting: PlatformJurisdictionSetting) {
  return { jurisdiction: setting.jurisdiction, profile: setting.profile };
}

/**
 * The jurisdiction the platform says it answers to: requests for content on its hosts run on the shortest
 * clock of this and the requester's stated location (docs/domain.md, "Jurisdiction").
 */
export function jurisdictionRoutes(cache: KeyCache) {
  return async function (fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const { clock, config, database } = app.services;
    app.get(
      '/v1/platform/jurisdiction',
      {
        onRequest: requirePlatform('content', cache),
        bodyLimit: SMALL_BODY_BYTES,
        schema: { summary: 'The jurisdiction your platform answers to, with its profile', tags: ['platform'], response: { 200: Setting, ...errors(401, 403) } },
      },
      async (request) => {
        const setting = await platformJurisdiction(database, platformOf(request).platformId, config.jurisdictions);
        return answer(setting ?? { jurisdiction: null, profile: null });
      },
    );

    app.put(
      '/v1/platform/jurisdiction',
      {
        onRequest: requirePlatform('content', cache),
        bodyLimit: SMALL_BODY_BYTES,
        schema: {
          summary: 'Set the jurisdiction your platform answers to (null clears it)',
          description:
            'Requests for content on your declared hosts then run on the shortest clock of this setting and the location the requester states; with neither, the deployment default applies. Cases already filed keep their clock.',
          tags: ['platform'],
          body: SettingBody,
          response: { 200: Setting, ...errors(400, 401, 403, 413) },
        },
      },
      async (request) => {
        const platform = platformOf(request);
        const result = await setPlatformJurisdiction(database, clock, platform.platformId, request.body.jurisdiction, `platform:${platform.keyId}`, config.jurisdictions);
        if (result.kind === 'invalid') throw invalidRequest([result.error]);
        if (result.kind === 'not_found') throw new HttpError(404, 'not_found', 'Your platform is not registered here any more.');
        return answer(result);
      },
    );
  };
}
