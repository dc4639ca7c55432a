/**
 * Drafts of incomplete removal requests, and the answer to the age question on cases.
 *
 * A draft holds what the person has filled in so far, encrypted (its associated data binds it to its id), and
 * the keyed hash of its own token: the token is shown once and never stored. A draft starts no clock; it is
 * deleted when it becomes a case, and by the retention job once `expires_at` passes.
 *
 * `under_18_when_made` is the requester's answer to "Was the person shown under 18 when this was made?"
 * (false when not answered): such a case is never shared as a copy, goes to senior review, and its items tell
 * the platform of its reporting duty. SQL accepted by PostgreSQL 15 and PGlite.
 */
export const name = '017-request-drafts-and-minors';

export const statements: string[] = [
  `create table request_drafts (
    id uuid primary key,
    token_hash text not null unique,
    content bytea not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    expires_at timestamptz not null
  )`,
  `create index request_drafts_expiry on request_drafts (expires_at)`,
  `alter table cases add column under_18_when_made boolean not null default false`,
];
