import type { SignalValues } from '@takedown/core';

/**
 * One piece of content the platform hosts, as registered: its signals (hashes made by the platform or by us
 * from the bytes, and its address as the `url` signal).
 */
export interface ContentInput {
  contentId: string;
  mediaType?: string;
  signals: SignalValues;
}
