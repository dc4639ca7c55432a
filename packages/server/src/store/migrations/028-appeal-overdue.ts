/**
 * An uploader's appeal still open after its decision time: `overdue_at` records when staff were told, so they are
 * told once. SQL accepted by PostgreSQL 15 and PGlite.
 */
export const name = '028-appeal-overdue';

export const statements: string[] = [`alter table item_appeals add column overdue_at timestamptz`];
