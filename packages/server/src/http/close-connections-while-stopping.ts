import type { FastifyInstance } from 'fastify';

/**
 * Every answer sent once the server has begun to stop closes its connection. A request that was under way
 * when the stop began (a follower's long poll, which the stop ends at once) would otherwise leave an idle
 * keep-alive connection behind after its answer, and the stop would wait for the client to drop it or for
 * the keep-alive timeout (72 s): `takedown serve` took over a minute to exit on SIGTERM.
 */
export function closeConnectionsWhileStopping(app: FastifyInstance): void {
  let stopping = false;
  app.addHook('preClose', async () => {
    stopping = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (stopping) reply.header('connection', 'close');
    return payload;
  });
}
