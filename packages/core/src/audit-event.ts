/**
 * What the audit log records: who did what to which thing, when and why (TAKE IT DOWN Act §3(a)(4): good-faith removals are
 * protected, so every decision is kept with its actor and reason). The server appends these to a hash-chained
 * table; `canonicalJson` gives the bytes that are hashed.
 * @example
 * const event: AuditEvent = {
 *   type: 'item.confirmed',
 *   actor: { kind: 'staff', id: reviewer.id },
 *   subject: { kind: 'item', id: item.id },
 *   at: clock.now(),
 * };
 */
export const AUDIT_EVENT_TYPES = [
  // A case: the request and what happens to it as a whole
  'case.received',
  'case.items_added',
  'case.routed',
  'case.in_review',
  'case.resolved',
  'case.rejected',
  'case.withdrawn',
  'case.viewed',
  'case.pin_failed',
  'case.locked',
  // An item: decisions and the removal clock
  'item.confirmed',
  'item.declined',
  'item.escalated',
  'item.removed',
  'item.withdrawn',
  'item.auto_actioned',
  'item.deadline_breached',
  'item.match_found',
  // An uploader's appeal against a removal (DSA Art. 20)
  'appeal.opened',
  'appeal.viewed',
  'appeal.decided',
  'appeal.overdue',
  // Notifier safeguards (DSA Art. 23)
  'notifier.notice_unfounded',
  'notifier.warned',
  'notifier.suspended',
  'notifier.contested',
  'notifier.standing_lifted',
  // Staff accounts and access
  'staff.login',
  'staff.login_failed',
  'staff.logout',
  'user.created',
  'user.role_changed',
  'user.disabled',
  'user.enabled',
  'user.password_set',
  'user.sessions_revoked',
  // Data leaving the system, or being deleted or looked at
  'export.created',
  'report.created',
  'pii.deleted',
  'media.viewed',
  'media.unblurred',
  // Platforms
  'platform.key_created',
  'platform.key_revoked',
  'platform.notified',
  'platform.hosts_changed',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export type ActorKind = 'requester' | 'staff' | 'platform' | 'system';

/** Who acted. `id` is a staff user id, platform id or case number; `system` (timers, jobs) may have none. */
export interface Actor {
  kind: ActorKind;
  id?: string;
}

export type SubjectKind = 'case' | 'item' | 'user' | 'export' | 'platform';

/** What was acted on. */
export interface Subject {
  kind: SubjectKind;
  id: string;
}

export interface AuditEvent {
  type: AuditEventType;
  actor: Actor;
  subject: Subject;
  /** Why: a decline reason, an escalation note, a routing reason. Never PII. */
  reason?: string;
  /** Facts that explain the event (thresholds used, states before and after). Never PII or media. */
  data?: Record<string, unknown>;
  at: Date;
}

export function isAuditEventType(value: unknown): value is AuditEventType {
  return typeof value === 'string' && (AUDIT_EVENT_TYPES as readonly string[]).includes(value);
}
