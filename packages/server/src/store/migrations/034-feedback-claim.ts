/**
 * A reviewer's verdict waiting for a followed source is claimed before it is sent: `claimed_until` is the end
 * of the lease taken by the follower loop sending it (any replica, or a loop of a follower being stopped).
 * Another loop leaves a claimed verdict alone until the lease ends, so two senders never post the same
 * verdict at once to a feed whose API is not idempotent (StopNCII's SubmitFeedback takes no idempotency key).
 * A sender that dies before marking the verdict sent lets it go when the lease ends. SQL accepted by
 * PostgreSQL 15 and PGlite.
 */
export const name = '034-feedback-claim';

export const statements: string[] = [`alter table exchange_feedback_outbox add column claimed_until timestamptz`];
