import { sql } from 'kysely';
import type { Tx } from './database.ts';

/**
 * A database-independent copy of takedown's tables: each row as PostgreSQL's own JSON of it (row_to_json), read
 * back with json_populate_recordset, so every type (bytea, timestamptz, jsonb, arrays) goes through the
 * database's own text forms. The same SQL runs on PGlite and PostgreSQL, so a backup of one restores into the
 * other.
 */

/** Rows read per round trip while exporting. */
const FETCH_ROWS = 1_000;

/** Makes the caller's transaction one snapshot: every table read as of the same moment. Call it first. */
export async function readOneSnapshot(tx: Tx): Promise<void> {
  await sql`set transaction isolation level repeatable read, read only`.execute(tx);
}

/** takedown's tables, parents before the tables that refer to them (the order rows can be inserted in). */
export async function tablesInInsertOrder(tx: Tx): Promise<string[]> {
  const tables = await sql<{ name: string }>`
    select tablename as name from pg_tables where schemaname = current_schema() and tablename <> 'schema_migrations' order by tablename`.execute(tx);
  const links = await sql<{ child: string; parent: string }>`
    select c.relname as child, p.relname as parent from pg_constraint k
    join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
    join pg_namespace n on n.oid = c.relnamespace
    where k.contype = 'f' and n.nspname = current_schema() and c.relname <> p.relname`.execute(tx);
  const ordered: string[] = [];
  const visit = (name: string, path: Set<string>) => {
    if (ordered.includes(name) || path.has(name)) return;
    path.add(name);
    for (const link of links.rows) if (link.child === name) visit(link.parent, path);
    ordered.push(name);
  };
  for (const { name } of tables.rows) visit(name, new Set());
  return ordered;
}

/** The migrations applied to this database, in the order they ran. */
export async function appliedMigrations(tx: Tx): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from schema_migrations order by applied_at, name`.execute(tx);
  return rows.rows.map((row) => row.name);
}

/** Hands every row of `table` to `write` as one line of JSON, a thousand rows at a time; returns the count. */
export async function exportTableRows(tx: Tx, table: string, write: (lines: string[]) => Promise<void>): Promise<number> {
  await sql`declare backup_rows no scroll cursor for select row_to_json(t)::text as line from ${sql.table(table)} t`.execute(tx);
  let count = 0;
  for (;;) {
    const batch = await sql<{ line: string }>`fetch ${sql.raw(String(FETCH_ROWS))} from backup_rows`.execute(tx);
    if (batch.rows.length === 0) break;
    await write(batch.rows.map((row) => row.line));
    count += batch.rows.length;
  }
  await sql`close backup_rows`.execute(tx);
  return count;
}

/** Inserts rows written by exportTableRows (JSON objects, one per line) into `table`. */
export async function importTableRows(tx: Tx, table: string, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  const json = `[${lines.join(',')}]`;
  await sql`insert into ${sql.table(table)} select * from json_populate_recordset(null::${sql.table(table)}, ${json}::json)`.execute(tx);
}

/** Empties these tables (the rows migrations seed) before a restore fills them. */
export async function emptyTables(tx: Tx, tables: string[]): Promise<void> {
  if (tables.length > 0) await sql`truncate table ${sql.join(tables.map((t) => sql.table(t)))} cascade`.execute(tx);
}

/** Moves every serial column's sequence past the largest restored value, so new rows get new ids. */
export async function resetSequences(tx: Tx): Promise<void> {
  const serials = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and column_default like 'nextval(%'`.execute(tx);
  for (const { table_name: table, column_name: column } of serials.rows) {
    await sql`select setval(pg_get_serial_sequence(${table}, ${column}), coalesce(max(${sql.ref(column)}), 0) + 1, false) from ${sql.table(table)}`.execute(tx);
  }
}

/** Deletes every table and function of the current schema (a forced restore over an existing database). */
export async function dropSchemaContents(tx: Tx): Promise<void> {
  const tables = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(tx);
  if (tables.rows.length > 0) await sql`drop table ${sql.join(tables.rows.map((t) => sql.table(t.name)))} cascade`.execute(tx);
  const functions = await sql<{ signature: string }>`
    select p.oid::regprocedure::text as signature from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = current_schema()
    and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')`.execute(tx);
  for (const { signature } of functions.rows) await sql`drop function ${sql.raw(signature)} cascade`.execute(tx);
}

/** The items whose shared copy the snapshot still counts on: the item exists and its case's data is not erased. */
export async function itemsThatMayHaveCopies(tx: Tx): Promise<Set<string>> {
  const rows = await tx.selectFrom('items').innerJoin('cases', 'cases.id', 'items.case_id').select('items.id').where('cases.pii_deleted_at', 'is', null).execute();
  return new Set(rows.map((row) => row.id));
}

/** The audit log's newest row as SEQ and HASH (what `audit verify --expect-head` takes), or null when empty. */
export async function newestAuditRow(tx: Tx): Promise<{ seq: number; hash: string } | null> {
  const row = await tx.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row ? { seq: Number(row.seq), hash: row.hash } : null;
}
