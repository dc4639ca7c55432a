/**
 * Video (vPDQ) in the hash banks and the platform's content index. A video's hash is a list of frame
 * hashes, kept as JSON text ([{ index, timestamp, hash, quality }]). In `bank_hashes` a vPDQ row's `hash`
 * is the SHA-256 of that JSON: the short identity the unique index needs (a 4-hour video's frames are too
 * long for a btree entry). SQL accepted by PostgreSQL 15 and PGlite.
 */
export const name = '003-video';

export const statements: string[] = [
  `alter table bank_hashes drop constraint bank_hashes_signal_check`,
  `alter table bank_hashes add constraint bank_hashes_signal_check check (signal in ('pdq', 'md5', 'sha256', 'vpdq'))`,
  `alter table bank_hashes add column frames text`,
  `alter table platform_content add column vpdq text`,
];
