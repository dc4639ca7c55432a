/**
 * The web hosts each platform says it serves (`example.com`, `*.cdn.example.com`), lower-case ASCII as
 * platform/host-declaration.ts reads them. An item whose address has one of these hosts is that platform's to
 * remove: it alone is told, and it alone may acknowledge the removal. Each host is declared by one platform
 * at most (the primary key), so the most specific declaration covering an address names one platform
 * (core's `servingDeclaration`). SQL accepted by PostgreSQL 15 and PGlite.
 */
export const name = '008-platform-hosts';

export const statements: string[] = [
  `create table platform_hosts (
  host text primary key,
  platform_id uuid not null references platforms (id),
  declared_at timestamptz not null
)`,
  `create index platform_hosts_platform on platform_hosts (platform_id)`,
];
