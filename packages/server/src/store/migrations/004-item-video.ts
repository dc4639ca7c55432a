/**
 * A request item's vPDQ (the frames made on the requester's device), as JSON text. When the item is
 * confirmed, the sweep files it in the confirmed bank, where upload checks match videos against it.
 * SQL accepted by PostgreSQL 15 and PGlite.
 */
export const name = '004-item-video';

export const statements: string[] = [`alter table items add column vpdq text`];
