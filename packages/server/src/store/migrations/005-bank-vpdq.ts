/**
 * A bank's vPDQ threshold: the share of frames, both ways (the upload's frames found in the banked video, and
 * the banked video's frames found in the upload), at which a video match goes to review. SQL accepted by
 * PostgreSQL 15 and PGlite.
 */
export const name = '005-bank-vpdq';

export const statements: string[] = [
  `alter table banks add column vpdq_match_percent integer not null default 80 check (vpdq_match_percent between 1 and 100)`,
];
