export type * from './signal-type.ts';
export * from './signal-registry.ts';
export * from './exact-index.ts';
export * from './digest-signal.ts';
export * from './pdq-signal.ts';
export * from './md5-signal.ts';
export * from './sha256-signal.ts';
export * from './vpdq-signal.ts';
export * from './url-signal.ts';
