export * from '@takedown/testing/server-process';
