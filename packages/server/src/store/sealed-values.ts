import { sql } from 'kysely';
import type { Tx } from './database.ts';

/** The context a staff account's TOTP secret is sealed with. */
export const totpSecretContext = (userId: string) => `totp:${userId}`;

/**
 * The columns that hold values encrypted with the PII keys (crypto/pii.ts), with the context each value is bound
 * to. A rotation re-encrypts these; a backup records which keys they need. Add a column here when one is added.
 */
export const SEALED_COLUMNS = [
  { table: 'cases', column: 'pii', context: (id: string) => `case:${id}` },
  { table: 'platforms', column: 'webhook_secret', context: (id: string) => `webhook:${id}` },
  { table: 'item_appeals', column: 'statement', context: (id: string) => `appeal:${id}` },
  { table: 'notifier_contests', column: 'statement', context: (id: string) => `contest:${id}` },
  { table: 'request_drafts', column: 'content', context: (id: string) => `draft:${id}` },
  { table: 'staff_users', column: 'totp_secret', context: totpSecretContext },
] as const;

export type SealedColumn = (typeof SEALED_COLUMNS)[number];

/** Values sealed before key ids (version 1) are counted under this name. */
export const LEGACY_KEY_ID = 'legacy';

/** How many values each key id seals, over every sealed column (version-1 values as LEGACY_KEY_ID). */
export async function countSealedValuesByKey(tx: Tx): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { table, column } of SEALED_COLUMNS) {
    const col = sql.ref(column);
    const rows = await sql<{ key_id: string; values: string | number }>`
      select case when get_byte(${col}, 0) = 2 then encode(substring(${col} from 2 for 4), 'hex') else ${LEGACY_KEY_ID} end as key_id, count(*) as values
      from ${sql.table(table)} where ${col} is not null group by 1`.execute(tx);
    for (const row of rows.rows) counts[row.key_id] = (counts[row.key_id] ?? 0) + Number(row.values);
  }
  return counts;
}

/**
 * Up to `limit` values of this column not sealed with `currentPrefix` (version byte + current key id), locked
 * for this transaction; rows another transaction holds are skipped (a server and a CLI may rotate together).
 */
export async function lockValuesToReseal(tx: Tx, target: SealedColumn, currentPrefix: Buffer, limit: number): Promise<{ id: string; sealed: Buffer }[]> {
  const col = sql.ref(target.column);
  const rows = await sql<{ id: string; sealed: Uint8Array }>`
    select id, ${col} as sealed from ${sql.table(target.table)}
    where ${col} is not null and substring(${col} from 1 for ${currentPrefix.length}) <> ${currentPrefix}
    order by id limit ${limit} for update skip locked`.execute(tx);
  return rows.rows.map((row) => ({ id: row.id, sealed: Buffer.from(row.sealed) }));
}

export async function writeResealedValue(tx: Tx, target: SealedColumn, id: string, sealed: Buffer): Promise<void> {
  await sql`update ${sql.table(target.table)} set ${sql.ref(target.column)} = ${sealed} where id = ${id}`.execute(tx);
}

/**
 * Locks the case an item belongs to (as sharing and erasing a copy do) and says whether its shared copy may
 * still exist: false once the case's personal data was deleted or the item is gone.
 */
export async function lockCopyOwner(tx: Tx, itemId: string): Promise<boolean> {
  const row = await tx
    .selectFrom('items')
    .innerJoin('cases', 'cases.id', 'items.case_id')
    .select(['cases.pii_deleted_at'])
    .where('items.id', '=', itemId)
    .forUpdate('cases')
    .executeTakeFirst();
  return row !== undefined && row.pii_deleted_at === null;
}
