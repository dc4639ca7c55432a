// @takedown/server: the edges around the domain. What other packages and tests build on.
export { buildApp, routePlugins } from './app.ts';
export { loadConfig, defaultConfig, ConfigError, type ServerConfig } from './config/config.ts';
export { openDatabase, migrate, type OpenDatabase, type Tx, type DatabaseOptions } from './store/database.ts';
export type { Database } from './store/schema.ts';
export { deriveKeys, loadMasterKey, hmacHex, type Keys } from './crypto/keys.ts';
export { encryptJson, decryptJson } from './crypto/pii.ts';
export { appendAudit, type AuditEntry, type AuditRow } from './audit/chain.ts';
export { verifyAuditChain, type ChainReport } from './audit/verify.ts';
export { enqueueJobs, type JobRequest, type ClaimedJob } from './jobs/queue.ts';
export { Worker, type JobHandler } from './jobs/worker.ts';
export { createWorker, serverJobHandlers } from './jobs/handlers.ts';
export { submitRequest, type SubmittedCase } from './store/intake.ts';
export { viewCase, addItems, withdrawCase } from './store/requester-case.ts';
export { reviewQueue, reviewItem, decideItem, recordRemoval, PLATFORM_NOTIFY_JOB } from './store/review.ts';
export { complianceReport } from './store/compliance.ts';
export { HttpError, invalidRequest } from './http/errors.ts';
export { requireStaff, staffOf, actorOf } from './http/staff-auth.ts';
export type { Services } from './http/services.ts';
