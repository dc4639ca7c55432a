import { describe, expect, it } from 'vitest';
import { ACTIONS, type Action, ROLES, type Role, can, isRole } from '../src/index.ts';

describe('can', () => {
  const allowed = (role: Role) => ACTIONS.filter((action) => can(role, action));

  it('lets reviewers work the standard queue and decide', () => {
    expect(allowed('reviewer')).toEqual(['view_standard_queue', 'decide_item', 'view_case', 'unblur_media']);
  });

  it('lets seniors also work the senior queue and escalated items', () => {
    expect(can('senior', 'view_senior_queue')).toBe(true);
    expect(can('senior', 'decide_escalated_item')).toBe(true);
    expect(can('reviewer', 'view_senior_queue')).toBe(false);
    expect(can('reviewer', 'decide_escalated_item')).toBe(false);
    expect(can('senior', 'manage_users')).toBe(false);
  });

  it('lets seniors and admins, not reviewers, decide appeals and judge notifiers (DSA Art. 20, 23)', () => {
    for (const action of ['decide_appeal', 'judge_notifiers'] as Action[]) {
      expect([can('reviewer', action), can('senior', action), can('admin', action), can('auditor', action)]).toEqual([false, true, true, false]);
    }
  });

  it('lets admins do everything', () => {
    expect(allowed('admin')).toEqual([...ACTIONS]);
  });

  it('lets auditors read the audit log and reports but decide nothing and see no media', () => {
    expect(allowed('auditor')).toEqual(['read_audit', 'read_reports', 'create_export']);
    for (const action of ['decide_item', 'decide_escalated_item', 'unblur_media', 'view_standard_queue'] as Action[]) {
      expect(can('auditor', action)).toBe(false);
    }
  });

  it('refuses an unknown role rather than throwing', () => {
    expect(can('owner' as Role, 'read_audit')).toBe(false);
    expect(isRole('owner')).toBe(false);
    expect(ROLES.every(isRole)).toBe(true);
  });
});
