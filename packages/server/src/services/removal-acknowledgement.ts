import type { Clock } from '@takedown/core';
import type { OpenDatabase } from '../store/database.ts';
import { platformHostsItem } from '../store/item-hosting.ts';
import { settleItemEvents } from '../store/platform-events.ts';
import { recordRemovalIn, type StoppedClock } from './review.ts';

export type RemovalAcknowledgement =
  /** `clock`: how long the legal clock ran, when this acknowledgement stopped it (not when it was already stopped). */
  | { kind: 'ok'; value: { itemState: string; caseState: string; alreadyRemoved: boolean }; clock?: StoppedClock }
  /** The platform does not host this item (or it does not exist): no enumeration of other platforms' items. */
  | { kind: 'not_hosted' }
  | { kind: 'not_found' }
  | { kind: 'not_removable'; message: string; itemState: string };

/**
 * A platform says it removed an item (§3(a)(3)(A): this stops the legal clock). One transaction: whether this
 * platform hosts it (store/item-hosting.ts: its content index holds it, or it declares the host of its address;
 * no other platform can stop the clock), the removal with its audit event, and the end of that instruction's
 * deliveries, so a crash between them cannot leave the clock stopped while the webhook keeps retrying. Saying it
 * twice is harmless: the second answers alreadyRemoved.
 */
export async function acknowledgeRemoval(
  database: OpenDatabase,
  clock: Clock,
  platform: { platformId: string; keyId: string },
  itemId: string,
  removedAt: Date,
): Promise<RemovalAcknowledgement> {
  const now = clock.now();
  return database.transaction(async (tx): Promise<RemovalAcknowledgement> => {
    if (!(await platformHostsItem(tx, platform.platformId, itemId))) return { kind: 'not_hosted' };
    const result = await recordRemovalIn(tx, now, itemId, `platform:${platform.keyId}`, removedAt);
    if (result.kind === 'not_found') return result;
    if (result.kind === 'not_removable' && result.current.itemState !== 'removed') {
      return { kind: 'not_removable', message: result.message, itemState: result.current.itemState };
    }
    await settleItemEvents(tx, now, platform.platformId, itemId);
    const value = result.kind === 'ok' ? result.value : result.current;
    return result.kind === 'ok' ? { kind: 'ok', value: { ...value, alreadyRemoved: false }, clock: result.clock } : { kind: 'ok', value: { ...value, alreadyRemoved: true } };
  });
}
