import { crc32 } from './crc32.ts';
import { SnapshotError } from './errors.ts';
import { WORDS_PER_HASH } from './hash-words.ts';
import { MatchIndex } from './match-index.ts';

/**
 * Snapshot file layout (all integers little-endian):
 *
 * | bytes | field |
 * |---|---|
 * | 0–7 | magic `TKDMATCH` |
 * | 8–11 | version, 1 |
 * | 12–15 | count of hashes |
 * | 16–19 | CRC-32 of bytes 0–15 and 20–end |
 * | 20–23 | reserved, 0 |
 * | 24… | count ids (u32), then count hashes of 32 bytes each, big-endian as in hex (bit 255 first) |
 *
 * Postings are not stored: they are rebuilt on load (seconds at 10 M), which keeps the file at 36 bytes per
 * hash and independent of the in-memory layout.
 */
const MAGIC = 'TKDMATCH';
export const SNAPSHOT_VERSION = 1;
const HEADER_BYTES = 24;
const BYTES_PER_ENTRY = 4 + 32;

/** Writes the index's hashes (removed ones left out) as a snapshot. */
export function writeSnapshot(index: MatchIndex): Uint8Array {
  const count = index.size;
  const bytes = new Uint8Array(HEADER_BYTES + count * BYTES_PER_ENTRY);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < MAGIC.length; i++) bytes[i] = MAGIC.charCodeAt(i);
  view.setUint32(8, SNAPSHOT_VERSION, true);
  view.setUint32(12, count, true);
  let n = 0;
  const hashesAt = HEADER_BYTES + count * 4;
  index.forEachEntry((id, words) => {
    view.setUint32(HEADER_BYTES + n * 4, id, true);
    for (let w = 0; w < WORDS_PER_HASH; w++) view.setUint32(hashesAt + n * 32 + w * 4, words[w], false);
    n++;
  });
  view.setUint32(16, checksum(bytes), true);
  return bytes;
}

/** Reads a snapshot into a new, compact index; throws SnapshotError (and builds nothing) if it is not whole. */
export function readSnapshot(bytes: Uint8Array): MatchIndex {
  if (bytes.length < HEADER_BYTES) {
    throw new SnapshotError('snapshot_truncated', `snapshot is ${bytes.length} bytes, shorter than its 24-byte header: the file is truncated`);
  }
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC.charCodeAt(i)) {
      throw new SnapshotError('snapshot_not_recognised', 'not a takedown match snapshot (it does not start with "TKDMATCH")');
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== SNAPSHOT_VERSION) {
    throw new SnapshotError('snapshot_version', `snapshot version ${version} is not supported (this build reads version ${SNAPSHOT_VERSION})`);
  }
  const count = view.getUint32(12, true);
  const expected = HEADER_BYTES + count * BYTES_PER_ENTRY;
  if (bytes.length < expected) {
    throw new SnapshotError('snapshot_truncated', `snapshot is truncated: its header announces ${count} hashes (${expected} bytes) but it has ${bytes.length} bytes`);
  }
  if (bytes.length > expected) {
    throw new SnapshotError('snapshot_corrupted', `snapshot is corrupted: ${bytes.length - expected} unexpected bytes after the ${count} hashes its header announces`);
  }
  const stored = view.getUint32(16, true);
  const actual = checksum(bytes);
  if (stored !== actual) {
    throw new SnapshotError('snapshot_corrupted', `snapshot is corrupted: checksum ${hex32(actual)} does not match the recorded ${hex32(stored)}`);
  }
  const ids = new Uint32Array(count);
  const words = new Uint32Array(count * WORDS_PER_HASH);
  const hashesAt = HEADER_BYTES + count * 4;
  for (let i = 0; i < count; i++) ids[i] = view.getUint32(HEADER_BYTES + i * 4, true);
  for (let w = 0; w < words.length; w++) words[w] = view.getUint32(hashesAt + w * 4, false);
  return MatchIndex.build(ids, words);
}

function checksum(bytes: Uint8Array): number {
  return crc32(bytes.subarray(20), crc32(bytes.subarray(0, 16)));
}

function hex32(value: number): string {
  return value.toString(16).padStart(8, '0');
}
