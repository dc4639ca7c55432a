import { describe, expect, it } from 'vitest';
import { parseRoleMapping, roleFromClaims, type RoleMapping } from '../src/index.ts';

const mapping: RoleMapping = {
  claim: 'groups',
  pairs: [
    { value: 'takedown-admins', role: 'admin' },
    { value: 'takedown-reviewers', role: 'reviewer' },
  ],
};

describe('roles from an identity provider\'s claims', () => {
  it('gives the first listed role whose value the claim holds, as a list or a space-separated string', () => {
    expect(roleFromClaims({ groups: ['takedown-reviewers', 'takedown-admins'] }, mapping)).toBe('admin');
    expect(roleFromClaims({ groups: ['staff', 'takedown-reviewers'] }, mapping)).toBe('reviewer');
    expect(roleFromClaims({ groups: 'staff takedown-reviewers' }, mapping)).toBe('reviewer');
  });

  it('gives no role for a missing, empty, unmatched or malformed claim, unless a default is named', () => {
    for (const claims of [{}, { groups: [] }, { groups: ['marketing'] }, { groups: 42 }, { groups: [{ name: 'takedown-admins' }] }, { roles: ['takedown-admins'] }]) {
      expect(roleFromClaims(claims, mapping)).toBeUndefined();
      expect(roleFromClaims(claims, { ...mapping, defaultRole: 'auditor' })).toBe('auditor');
    }
    // Values match exactly: no prefixes, no case folding.
    expect(roleFromClaims({ groups: ['takedown-admins-old', 'Takedown-Admins'] }, mapping)).toBeUndefined();
  });

  it('reads the operator\'s value=role list and says what is wrong with a bad entry', () => {
    // A comma always separates pairs (an LDAP-style value with commas cannot be mapped): said, not guessed at.
    expect(parseRoleMapping(' takedown-admins=admin, cn=reviewers,ou=groups=reviewer ')).toEqual({ problem: '"reviewers" in "cn=reviewers" is not a role (reviewer, senior, admin or auditor)' });
    expect(parseRoleMapping('takedown-admins=admin,app:role=with=equals=reviewer')).toEqual({
      pairs: [
        { value: 'takedown-admins', role: 'admin' },
        { value: 'app:role=with=equals', role: 'reviewer' },
      ],
    });
    expect(parseRoleMapping('admins=boss')).toEqual({ problem: '"boss" in "admins=boss" is not a role (reviewer, senior, admin or auditor)' });
    expect(parseRoleMapping('=admin')).toEqual({ problem: '"=admin" is not claim-value=role' });
    expect(parseRoleMapping(' , ')).toEqual({ problem: 'it names no claim-value=role pair' });
  });
});
