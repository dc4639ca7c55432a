export { MatchIndex, DEFAULT_RADIUS } from './match-index.ts';
export type { Match, QueryOptions, IndexOptions, HashInput, DihedralHashes } from './match-index.ts';
export type { VerifyHelperLike } from './verify-helper.ts';
export type { PostingsFormat } from './compact-postings.ts';
export { writeSnapshot, readSnapshot, SNAPSHOT_VERSION } from './snapshot.ts';
export { HashFormatError, SnapshotError } from './errors.ts';
export { parseHash, parseHashInto, formatHash, isHashHex, wordsFromBytes, popcount32, WORDS_PER_HASH } from './hash-words.ts';
export { scanTypedArrays } from './scan-typed-arrays.ts';
export { popcountKernels, type PopcountKernels } from './wasm-popcount.ts';
