/**
 * Repeat requests linked instead of penalised (issue 17, item 4).
 * - item_repeat_keys: the keyed hashes (HMAC with the notifier key) of each item's identifiers, each keyed
 *   together with the notifier fingerprint, so only the same person's same content meets the same key. No
 *   address, hash value or contact is stored in clear for this. `from_url` keys go when the case's personal
 *   data is erased (with the address itself); keys of hash values stay, as the hashes do.
 * - items.repeat_of / repeat_kind: the earlier item this one repeats ('duplicate' of an open one, or
 *   'resubmission' after it ended), set at intake.
 * SQL accepted by PostgreSQL 15 and PGlite.
 */
export const name = '022-repeat-requests';

export const statements: string[] = [
  `create table item_repeat_keys (
  item_id uuid not null references items(id),
  key char(64) not null,
  from_url boolean not null,
  primary key (item_id, key)
)`,
  `create index item_repeat_keys_key on item_repeat_keys (key)`,
  `alter table items add column repeat_of uuid references items(id)`,
  `alter table items add column repeat_kind text check (repeat_kind in ('duplicate', 'resubmission'))`,
];
