/**
 * Jurisdiction profiles and regulators' notices (issue 16, item 3; decisions/020).
 * - platforms.jurisdiction: the regime a platform says it answers to (null: none set).
 * - cases.jurisdiction_reason: how the case's jurisdiction was decided (core's JurisdictionChoice as JSON:
 *   source, the regimes considered, a sentence); null for cases filed before this migration.
 * - regulator_notices: a regulator's removal notice entered by staff, with the regulator's own period; it
 *   opens a case of its own (requester_role 'regulator', no personal data) whose items run to `due_at`.
 * SQL accepted by PostgreSQL 15 and PGlite.
 */
export const name = '020-jurisdiction-profiles';

export const statements: string[] = [
  `alter table platforms add column jurisdiction text`,
  `alter table cases add column jurisdiction_reason jsonb`,
  `create table regulator_notices (
  id uuid primary key,
  case_id uuid not null unique references cases(id),
  regulator text not null,
  reference text not null,
  jurisdiction text not null,
  period_hours integer check (period_hours is null or period_hours > 0),
  received_at timestamptz not null,
  due_at timestamptz not null check (due_at > received_at),
  entered_by text not null,
  created_at timestamptz not null
)`,
  `create unique index regulator_notices_reference on regulator_notices (regulator, reference)`,
];
