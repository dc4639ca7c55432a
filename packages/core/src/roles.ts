/**
 * Staff roles and what each may do. One table, read by the server before every staff action.
 * - reviewer: the standard queue and decisions on it;
 * - senior: also the senior queue (routed and escalated items), uploaders' appeals, notifier safeguards, regulators'
 *   notices and the reports;
 * - admin: everything, including staff accounts and platform keys;
 * - auditor: reads the audit log and reports, exports them; makes no decisions and sees no media.
 */
export const ROLES = ['reviewer', 'senior', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  'view_standard_queue',
  'view_senior_queue',
  /** Confirm, decline or escalate an item in a queue the role can see. */
  'decide_item',
  /** Decide items that were routed or escalated to senior review. */
  'decide_escalated_item',
  /** Decide an uploader's appeal against a removal (DSA Art. 20: appropriately qualified staff). */
  'decide_appeal',
  /** Mark a declined notice manifestly unfounded, and lift a notifier's warning or suspension (DSA Art. 23). */
  'judge_notifiers',
  /** Enter a regulator's removal notice (e.g. eSafety), whose period sets the items' clock. */
  'enter_regulator_notice',
  'view_case',
  'unblur_media',
  'read_audit',
  'read_reports',
  'create_export',
  'manage_users',
  'manage_platforms',
] as const;
export type Action = (typeof ACTIONS)[number];

export const PERMISSIONS: Readonly<Record<Role, readonly Action[]>> = Object.freeze({
  reviewer: ['view_standard_queue', 'decide_item', 'view_case', 'unblur_media'],
  senior: [
    'view_standard_queue',
    'view_senior_queue',
    'decide_item',
    'decide_escalated_item',
    'decide_appeal',
    'judge_notifiers',
    'enter_regulator_notice',
    'view_case',
    'unblur_media',
    'read_reports',
  ],
  admin: [...ACTIONS],
  auditor: ['read_audit', 'read_reports', 'create_export'],
});

/**
 * @example if (!can(user.role, 'decide_item')) return reply.code(403).send(...)
 */
export function can(role: Role, action: Action): boolean {
  return PERMISSIONS[role]?.includes(action) ?? false;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
