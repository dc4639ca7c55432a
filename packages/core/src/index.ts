// The domain of takedown, without I/O: what a removal request is, how a case and its items move, the legal
// clock, the safeguards, and the shapes of audit events. The server applies these decisions; nothing here
// reads a database, a file or the network (time comes from an injected Clock).
export type * from './request.ts';
export * from './result.ts';
export * from './clock.ts';
export * from './request-limits.ts';
export * from './vpdq-frames.ts';
export * from './contact-format.ts';
export * from './jurisdiction.ts';
export * from './jurisdiction-profile.ts';
export * from './regulator-notice.ts';
export * from './validate-request.ts';
export * from './request-elements.ts';
export * from './minors.ts';
export * from './request-preferences.ts';
export * from './audit-event.ts';
export * from './canonical-json.ts';
export * from './decline-reason.ts';
export * from './item-state.ts';
export * from './case-state.ts';
export * from './deadline.ts';
export * from './review-queue.ts';
export * from './routing.ts';
export * from './host-match.ts';
export * from './decide-action.ts';
export * from './exchange-trust.ts';
export * from './signals/index.ts';
export * from './hash-lists/index.ts';
export * from './compliance.ts';
export * from './case-number.ts';
export * from './roles.ts';
export * from './guess-throttle.ts';
export * from './client-network.ts';
export * from './appeal.ts';
export * from './statement-of-reasons.ts';
export * from './notifier-standing.ts';
export * from './sign-in-roles.ts';
