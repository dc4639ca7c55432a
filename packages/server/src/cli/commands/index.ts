import type { CommandEntry } from '../command.ts';

/**
 * Every `takedown` command, in the order `takedown --help` lists them. Each module is loaded only when its
 * command runs, so listing the commands, and each command, starts without loading all the others (the
 * server, the database drivers, ffmpeg detection). Add new commands here.
 */
export const commands: CommandEntry[] = [
  {
    name: 'hash',
    summary: 'print the PDQ hash (and MD5, SHA-256) of image files, the vPDQ hash of videos',
    load: async () => (await import('./hash.ts')).hashCommand,
  },
  {
    name: 'compare',
    summary: 'compare two videos with vPDQ: both match percentages and the verdict',
    load: async () => (await import('./compare.ts')).compareCommand,
  },
  {
    name: 'serve',
    summary: 'start the server (API, review console, jobs); --demo adds demo data',
    load: async () => (await import('./serve.ts')).serveCommand,
  },
  {
    name: 'doctor',
    summary: 'check a deployment (database, migrations, key, clock, ffmpeg, webhooks, data dir) and say what to fix',
    load: async () => (await import('./doctor.ts')).doctorCommand,
  },
  {
    name: 'user add',
    summary: 'create a staff account (reviewer, senior, admin, auditor)',
    load: async () => (await import('./user.ts')).userAddCommand,
  },
  {
    name: 'user reset-password',
    summary: 'set a new staff password (generated, or from stdin); ends the account\'s sessions',
    load: async () => (await import('./user.ts')).userResetPasswordCommand,
  },
  {
    name: 'user disable',
    summary: 'disable a staff account: no sign-in, its sessions end',
    load: async () => (await import('./user.ts')).userDisableCommand,
  },
  {
    name: 'user enable',
    summary: 'let a disabled staff account sign in again',
    load: async () => (await import('./user.ts')).userEnableCommand,
  },
  {
    name: 'user revoke-sessions',
    summary: 'sign a staff account out everywhere',
    load: async () => (await import('./user.ts')).userRevokeSessionsCommand,
  },
  {
    name: 'user reset-second-factor',
    summary: 'remove a staff account\'s authenticator app and recovery codes (a lost phone)',
    load: async () => (await import('./user.ts')).userResetSecondFactorCommand,
  },
  {
    name: 'audit verify',
    summary: 'check the audit log hash chain; names the first altered or missing row',
    load: async () => (await import('./audit.ts')).auditVerifyCommand,
  },
  {
    name: 'report',
    summary: 'compliance report per jurisdiction and clock: acted on within the deadline, time to action, breaches',
    load: async () => (await import('./report.ts')).reportCommand,
  },
  {
    name: 'report dsa',
    summary: 'DSA transparency report (Art. 15, 24(1)) after the templates of Implementing Regulation (EU) 2024/2835',
    load: async () => (await import('./dsa-report.ts')).dsaReportCommand,
  },
  {
    name: 'report statements',
    summary: 'statements of reasons of a period for the DSA Transparency Database API, 100 per line',
    load: async () => (await import('./dsa-report.ts')).statementsCommand,
  },
  {
    name: 'match',
    summary: 'look up hashes or image files in a bank of known hashes',
    load: async () => (await import('./match.ts')).matchCommand,
  },
  {
    name: 'platform add',
    summary: 'register a platform and print its API key (shown once)',
    load: async () => (await import('./platform.ts')).platformAddCommand,
  },
  {
    name: 'platform list',
    summary: 'list platforms, their keys (ids only) and webhook endpoints',
    load: async () => (await import('./platform.ts')).platformListCommand,
  },
  {
    name: 'platform revoke',
    summary: 'revoke a platform API key by its id',
    load: async () => (await import('./platform.ts')).platformRevokeCommand,
  },
  {
    name: 'platform webhook',
    summary: "set a platform's webhook URL and print its signing secret (shown once)",
    load: async () => (await import('./platform.ts')).platformWebhookCommand,
  },
  {
    name: 'platform hosts',
    summary: 'list or change the web hosts a platform serves (removal requests for them go to it alone)',
    load: async () => (await import('./platform.ts')).platformHostsCommand,
  },
  {
    name: 'platform report-link',
    summary: 'print the report link and the report button a platform puts on its pages',
    load: async () => (await import('./platform.ts')).platformReportLinkCommand,
  },
  {
    name: 'platform jurisdiction',
    summary: 'show, set or clear the jurisdiction a platform answers to (its removal clock)',
    load: async () => (await import('./platform.ts')).platformJurisdictionCommand,
  },
  {
    name: 'bank list',
    summary: 'list hash banks with their thresholds and sizes',
    load: async () => (await import('./bank.ts')).bankListCommand,
  },
  {
    name: 'bank create',
    summary: 'make an empty bank (for lists, or for platforms adding hashes over the HMA routes)',
    load: async () => (await import('./bank.ts')).bankCreateCommand,
  },
  {
    name: 'bank import',
    summary: 'load a hash list (hex lines or HMA CSV) into a bank',
    load: async () => (await import('./bank.ts')).bankImportCommand,
  },
  {
    name: 'bank export',
    summary: 'write a bank as hex lines or HMA CSV',
    load: async () => (await import('./bank.ts')).bankExportCommand,
  },
  {
    name: 'bank set',
    summary: "enable/disable a bank or change its thresholds",
    load: async () => (await import('./bank.ts')).bankSetCommand,
  },
  {
    name: 'exchange follow',
    summary: "follow another deployment's signed feed of confirmed hashes (--trust review|block)",
    load: async () => (await import('./exchange.ts')).exchangeFollowCommand,
  },
  {
    name: 'exchange list',
    summary: 'list the deployments this one follows, with their health',
    load: async () => (await import('./exchange.ts')).exchangeListCommand,
  },
  {
    name: 'exchange unfollow',
    summary: "stop following a deployment; its hashes leave at once",
    load: async () => (await import('./exchange.ts')).exchangeUnfollowCommand,
  },
  {
    name: 'exchange status',
    summary: "this deployment's feed id and public key, and the followed feeds' health",
    load: async () => (await import('./exchange.ts')).exchangeStatusCommand,
  },
  {
    name: 'content import',
    summary: "backfill a platform's content index from a JSONL file (progress on stderr)",
    load: async () => (await import('./content.ts')).contentImportCommand,
  },
  {
    name: 'backup',
    summary: 'write one archive of the database and shared copies (the key only with --include-key)',
    load: async () => (await import('./backup.ts')).backupCommand,
  },
  {
    name: 'restore',
    summary: 'restore an archive into an empty data dir or database; checks it whole first',
    load: async () => (await import('./backup.ts')).restoreCommand,
  },
  {
    name: 'keys rotate',
    summary: 'make a new key current and re-encrypt personal data and shared copies under it',
    load: async () => (await import('./keys.ts')).keysRotateCommand,
  },
  {
    name: 'keys status',
    summary: 'list the keys (by id) and how much each one encrypts',
    load: async () => (await import('./keys.ts')).keysStatusCommand,
  },
  {
    name: 'keys retire',
    summary: 'remove older keys once nothing is encrypted with them',
    load: async () => (await import('./keys.ts')).keysRetireCommand,
  },
];
