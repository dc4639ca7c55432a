import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { changePlatformHosts, platformHosts } from '../../services/platform-hosts.ts';
import { MAX_DECLARED_HOSTS } from '../../platform/host-declaration.ts';
import { SMALL_BODY_BYTES } from '../body-limits.ts';
import { HttpError, invalidRequest } from '../errors.ts';
import { errors } from '../schemas.ts';
import { PlainText } from '../schemas/plain-text.ts';
import { platformOf, requirePlatform, type KeyCache } from './platform-key-auth.ts';

const Hosts = Type.Object({
  hosts: Type.Array(Type.String(), { description: 'Lower-case ASCII (IDNA), sorted; `*.` covers the hosts below a domain, not the domain itself.' }),
});

const HostsBody = Type.Object(
  { hosts: Type.Array(PlainText({ minLength: 1, maxLength: 255 }), { maxItems: MAX_DECLARED_HOSTS }) },
  { additionalProperties: false, description: 'Every host you serve, replacing the list: e.g. ["example.com", "*.cdn.example.com"]. [] declares none.' },
);

/**
 * The web hosts the platform serves: an item whose address has one of them is routed to this platform (it
 * alone is told to remove it, and it alone may acknowledge the removal).
 */
export function hostRoutes(cache: KeyCache) {
  return async function (fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const { clock, database } = app.services;
    app.get(
      '/v1/platform/hosts',
      {
        onRequest: requirePlatform('content', cache),
        bodyLimit: SMALL_BODY_BYTES,
        schema: { summary: 'The web hosts your platform declares it serves', tags: ['platform'], response: { 200: Hosts, ...errors(401, 403) } },
      },
      async (request) => ({ hosts: await platformHosts(database, platformOf(request).platformId) }),
    );

    app.put(
      '/v1/platform/hosts',
      {
        onRequest: requirePlatform('content', cache),
        // 1 000 host names of at most 255 characters, quoted.
        bodyLimit: 300 * 1024,
        schema: {
          summary: 'Declare the web hosts your platform serves (replaces the list)',
          description:
            'Removal requests for addresses on these hosts are routed to your platform alone. Host names only (no scheme, port, path or IP address); `*.cdn.example.com` covers every host below cdn.example.com. The most specific declaration decides; a host another platform declares is refused with 409.',
          tags: ['platform'],
          body: HostsBody,
          response: { 200: Hosts, ...errors(400, 401, 403, 409, 413) },
        },
      },
      async (request) => {
        const platform = platformOf(request);
        const result = await changePlatformHosts(database, clock, platform.platformId, { set: request.body.hosts }, `platform:${platform.keyId}`);
        if (result.kind === 'invalid') throw invalidRequest(result.problems.map((p) => ({ ...p, code: 'invalid_host' })));
        if (result.kind === 'taken') {
          throw new HttpError(409, 'host_taken', result.problems[0].message, { field: result.problems[0].field, fields: result.problems.map((p) => ({ ...p, code: 'host_taken' })) });
        }
        return { hosts: result.hosts };
      },
    );
  };
}
