import { isRole, type Role } from './roles.ts';

/**
 * How an identity provider's claim becomes a staff role (single sign-on). The operator lists pairs of a claim
 * value and a role, most powerful first: the first pair whose value the person's claim holds wins. Nobody gets
 * a role the list does not give, unless the operator names a role for everyone the provider lets in.
 */
export interface RoleMapping {
  /** The claim that carries groups or roles, e.g. `groups` (Keycloak), `roles` (Entra ID). */
  claim: string;
  /** Claim value → role, in the order they are tried. */
  pairs: readonly { value: string; role: Role }[];
  /** A role for someone the provider accepts but whose claim matches no pair; undefined: they are refused. */
  defaultRole?: Role;
}

/**
 * The role a signed-in person gets from their claims, or undefined: then they have no access ("ask your
 * administrator"), and an account they had loses it. The claim may be a string, a list of strings, or a
 * space-separated string (as some providers write scopes and roles); anything else counts as absent.
 * @example roleFromClaims({ groups: ['takedown-admins'] }, mapping) // 'admin'
 */
export function roleFromClaims(claims: Readonly<Record<string, unknown>>, mapping: RoleMapping): Role | undefined {
  const values = claimValues(claims[mapping.claim]);
  for (const pair of mapping.pairs) if (values.has(pair.value)) return pair.role;
  return mapping.defaultRole;
}

function claimValues(raw: unknown): Set<string> {
  if (typeof raw === 'string') return new Set(raw.split(' ').filter((v) => v !== ''));
  if (Array.isArray(raw)) return new Set(raw.filter((v): v is string => typeof v === 'string'));
  return new Set();
}

/**
 * Reads `value=role,value=role` (the operator's mapping setting). Returns the pairs, or a message saying what
 * is wrong with the first bad entry. A claim value may hold `=` (the last one separates the role).
 * @example parseRoleMapping('takedown-admins=admin,takedown-reviewers=reviewer')
 */
export function parseRoleMapping(text: string): { pairs: { value: string; role: Role }[] } | { problem: string } {
  const pairs: { value: string; role: Role }[] = [];
  for (const entry of text.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const at = entry.lastIndexOf('=');
    const value = entry.slice(0, at).trim();
    const role = entry.slice(at + 1).trim();
    if (at <= 0 || value === '') return { problem: `"${entry}" is not claim-value=role` };
    if (!isRole(role)) return { problem: `"${role}" in "${entry}" is not a role (reviewer, senior, admin or auditor)` };
    pairs.push({ value, role });
  }
  if (pairs.length === 0) return { problem: 'it names no claim-value=role pair' };
  return { pairs };
}
