import { MatchIndex } from '@takedown/match';
import { distinctComparableFrames, summarise, type DistinctFrame } from './compare.ts';
import {
  resolveThresholds,
  type VideoComparison,
  type VideoHash,
  type VideoMatchOptions,
} from './types.ts';

/** One video of the bank that shares at least one frame with the query, with the two-way percentages. */
export interface VideoBankMatch extends VideoComparison {
  videoId: number;
}

export interface VideoBankQueryOptions extends VideoMatchOptions {
  /** Only report videos whose percentages both reach the thresholds. Default false: every video sharing a frame. */
  onlyMatches?: boolean;
}

interface BankedVideo {
  frames: DistinctFrame[];
  /** The index id of each distinct frame, same order as `frames`. */
  frameIds: number[];
}

/**
 * A bank of videos searchable by vPDQ: every distinct good-quality frame of every video sits in one
 * {@link MatchIndex} under its own id, so a query costs one index lookup per query frame instead of a
 * comparison with every frame of every video; the per-video percentages are then computed from the hits,
 * with the same rules as {@link compareVideoHashes}.
 *
 * @example
 * const bank = new VideoBank();
 * bank.add(17, knownVideoHash);
 * bank.query(uploadHash, { onlyMatches: true }); // [{ videoId: 17, queryMatchPercent: 100, … }]
 */
export class VideoBank {
  /** Frames under this quality are not indexed: vPDQ never compares them. */
  readonly qualityThreshold: number;
  #index = new MatchIndex();
  #videos = new Map<number, BankedVideo>();
  #frameOwners = new Map<number, { videoId: number; position: number }>();
  #nextFrameId = 0;
  #freeFrameIds: number[] = [];

  constructor(options: { qualityThreshold?: number } = {}) {
    this.qualityThreshold = resolveThresholds({ qualityThreshold: options.qualityThreshold }).qualityThreshold;
  }

  /** How many videos the bank holds. */
  get size(): number {
    return this.#videos.size;
  }

  has(videoId: number): boolean {
    return this.#videos.has(videoId);
  }

  /** Adds a video (replacing any video already under this id); queries see it at once. */
  add(videoId: number, hash: VideoHash): void {
    if (!Number.isInteger(videoId) || videoId < 0) throw new RangeError(`videoId must be a whole number ≥ 0, got ${videoId}`);
    this.remove(videoId);
    const frames = distinctComparableFrames(hash.frames, this.qualityThreshold);
    const frameIds = frames.map((frame, position) => {
      const id = this.#freeFrameIds.pop() ?? this.#nextFrameId++;
      if (id > 0xffffffff) throw new RangeError('The video bank is full (2^32 frames).');
      this.#index.add(id, frame.hash);
      this.#frameOwners.set(id, { videoId, position });
      return id;
    });
    this.#videos.set(videoId, { frames, frameIds });
  }

  /** Removes a video; returns false when the bank did not hold it. */
  remove(videoId: number): boolean {
    const video = this.#videos.get(videoId);
    if (!video) return false;
    this.#index.removeMany(video.frameIds);
    for (const id of video.frameIds) {
      this.#frameOwners.delete(id);
      this.#freeFrameIds.push(id);
    }
    this.#videos.delete(videoId);
    return true;
  }

  /**
   * Finds the videos sharing frames with `query`, matches first, then by the smaller of the two percentages.
   * A short clip inside a long banked video shows up with queryMatchPercent 100, a small comparedMatchPercent
   * (not a match by the default thresholds) and `comparedSegments` saying where it sits.
   */
  query(query: VideoHash, options: VideoBankQueryOptions = {}): VideoBankMatch[] {
    const thresholds = resolveThresholds(options);
    if (!Number.isInteger(thresholds.distanceThresholdBits)) {
      throw new RangeError('distanceThresholdBits must be a whole number of bits for a bank query');
    }
    // Frames under the bank's own quality threshold were never indexed; a stricter query threshold applies too.
    const queryFrames = distinctComparableFrames(query.frames, thresholds.qualityThreshold);
    const hits = new Map<number, { query: boolean[]; compared: boolean[] }>();
    queryFrames.forEach((frame, q) => {
      for (const { id } of this.#index.query(frame.hash, { radius: thresholds.distanceThresholdBits })) {
        const owner = this.#frameOwners.get(id);
        if (!owner) continue;
        const video = this.#videos.get(owner.videoId)!;
        if (video.frames[owner.position].quality < thresholds.qualityThreshold) continue;
        let hit = hits.get(owner.videoId);
        if (!hit) {
          hit = { query: new Array<boolean>(queryFrames.length).fill(false), compared: new Array<boolean>(video.frames.length).fill(false) };
          hits.set(owner.videoId, hit);
        }
        hit.query[q] = true;
        hit.compared[owner.position] = true;
      }
    });
    const results: VideoBankMatch[] = [];
    for (const [videoId, hit] of hits) {
      const video = this.#videos.get(videoId)!;
      // A stricter query quality threshold than the bank's also excludes the bank's weaker frames.
      const comparable = video.frames.map((f) => f.quality >= thresholds.qualityThreshold);
      const comparedFrames = video.frames.filter((_, i) => comparable[i]);
      const comparedMatched = hit.compared.filter((_, i) => comparable[i]);
      const comparison = summarise(queryFrames, hit.query, comparedFrames, comparedMatched, thresholds);
      if (options.onlyMatches && !comparison.isMatch) continue;
      results.push({ videoId, ...comparison });
    }
    return results.sort(
      (a, b) =>
        Number(b.isMatch) - Number(a.isMatch) ||
        Math.min(b.queryMatchPercent, b.comparedMatchPercent) - Math.min(a.queryMatchPercent, a.comparedMatchPercent) ||
        a.videoId - b.videoId,
    );
  }
}
