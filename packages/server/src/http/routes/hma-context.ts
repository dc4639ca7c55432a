import type { onRequestAsyncHookHandler } from 'fastify';
import type { OutboundConnect } from '../../net/fetch-remote-media.ts';
import type { PlatformRuntime } from '../../services/platform-runtime.ts';
import type { HmaHashing } from './hma-media.ts';

/** What every HMA route plugin shares: the bank index, hashing, the guarded fetch and the `hma` key check. */
export interface HmaContext {
  runtime: PlatformRuntime;
  hashing: HmaHashing;
  connect: OutboundConnect;
  /** Requires a platform key with the `hma` scope (before any body is read). */
  requireHmaKey: onRequestAsyncHookHandler;
}
