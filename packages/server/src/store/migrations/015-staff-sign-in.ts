/**
 * Staff single sign-on and a second factor for local accounts (docs/operations.md, decision 013).
 * - An account made by single sign-on is found by its provider's issuer and subject, never by its name, and has
 *   no password (so no password sign-in).
 * - A local account may hold a TOTP secret, encrypted with the PII keys (a key id on the value, so a key
 *   rotation re-encrypts it), confirmed once a first code was right; the last time step used is kept so a code
 *   cannot be used twice. Recovery codes are kept only as keyed hashes, each usable once.
 * - A session opened before a required second factor was set up may do nothing but set it up.
 * SQL accepted by PostgreSQL 15 and PGlite.
 */
export const name = '015-staff-sign-in';

export const statements: string[] = [
  `alter table staff_users alter column password_hash drop not null`,
  `alter table staff_users add column sso_issuer text`,
  `alter table staff_users add column sso_subject text`,
  `create unique index staff_users_sso_identity on staff_users (sso_issuer, sso_subject) where sso_subject is not null`,
  `alter table staff_users add column totp_secret bytea`,
  `alter table staff_users add column totp_confirmed_at timestamptz`,
  `alter table staff_users add column totp_last_step bigint`,
  `create table staff_recovery_codes (
  user_id uuid not null references staff_users (id),
  code_hash char(64) not null,
  used_at timestamptz,
  primary key (user_id, code_hash)
)`,
  `alter table sessions add column enrolment_only boolean not null default false`,
];
