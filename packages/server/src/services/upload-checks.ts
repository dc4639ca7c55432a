import type { Clock } from '@takedown/core';
import { appendAudit } from '../store/audit-chain.ts';
import type { OpenDatabase } from '../store/database.ts';
import { activePlatformIds, queuePlatformEvents } from '../store/platform-events.ts';

/** A check that did not simply allow the upload, as the platform was answered. */
export interface FlaggedCheck {
  checkId: string;
  contentId?: string;
  verdict: 'block' | 'review';
  explanation: string;
  /** The item the first match comes from, when it is one of ours. */
  firstItemId?: string;
  matches: Record<string, unknown>[];
  /** What the uploader is told (never who asked). */
  uploaderReason: string;
}

/**
 * Records what a check decided, in one transaction: a block is a decision like any other (§3(b)), kept in the
 * audit log with its reason; a review goes to the platform's moderation queue as a check.review event when it
 * has a webhook (the verdict itself was answered already).
 */
export async function recordFlaggedCheck(database: OpenDatabase, clock: Clock, platform: { platformId: string; keyId: string }, check: FlaggedCheck): Promise<void> {
  const now = clock.now();
  await database.transaction(async (tx) => {
    if (check.verdict === 'review') {
      if ((await activePlatformIds(tx)).includes(platform.platformId)) {
        const data = { checkId: check.checkId, contentId: check.contentId ?? null, matches: check.matches, uploaderReason: check.uploaderReason };
        await queuePlatformEvents(tx, now, [{ platformId: platform.platformId, type: 'check.review', data }]);
      }
    } else {
      const data = { checkId: check.checkId, matches: check.matches };
      await appendAudit(tx, now, [{ actor: `platform:${platform.keyId}`, action: 'upload.blocked', itemId: check.firstItemId ?? null, reason: check.explanation, data }]);
    }
  });
}
