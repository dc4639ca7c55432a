/**
 * A followed feed's hashes are keyed by the source's entry id, not by their text (docs/exchange.md,
 * decision 028). A source gives one entry id per (signal, hash) and a withdrawal names the same id, so
 * `(bank_id, exchange_entry)` is a live followed row's key: 32 bytes compared as bytes, where
 * `bank_hashes_live` holds about 100 bytes of text per hash compared by collation. `bank_hashes_live` then
 * keeps the hashes of this deployment's own banks only (confirmed items, imported lists): a catch-up on a feed
 * of millions no longer writes them into it at random places. SQL accepted by PostgreSQL 15 and PGlite.
 */
export const name = '029-followed-hash-key';

export const statements: string[] = [
  // A source that named two live hashes by one id (never written by takedown): the later row leaves the bank.
  `update bank_hashes set removed_at = now(), change_xid = pg_current_xact_id()
  where id in (
    select id from (select id, row_number() over (partition by bank_id, exchange_entry order by id) as n
      from bank_hashes where removed_at is null and exchange_entry is not null) d
    where n > 1)`,
  `create unique index bank_hashes_followed on bank_hashes (bank_id, exchange_entry) where removed_at is null and exchange_entry is not null`,
  `drop index bank_hashes_live`,
  `create unique index bank_hashes_live on bank_hashes (bank_id, signal, hash, item_id) nulls not distinct where removed_at is null and exchange_entry is null`,
];
