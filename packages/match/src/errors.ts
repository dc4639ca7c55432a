/** A hash given to the index is not 64 hexadecimal characters. */
export class HashFormatError extends Error {
  readonly code = 'invalid_hash';
  constructor(message: string) {
    super(message);
    this.name = 'HashFormatError';
  }
}

/** A snapshot cannot be loaded: wrong magic, unsupported version, truncated or corrupted. Nothing was loaded. */
export class SnapshotError extends Error {
  readonly code: 'snapshot_not_recognised' | 'snapshot_version' | 'snapshot_truncated' | 'snapshot_corrupted';
  constructor(code: SnapshotError['code'], message: string) {
    super(message);
    this.name = 'SnapshotError';
    this.code = code;
  }
}
