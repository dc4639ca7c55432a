import type { CliCommand } from '../command.ts';
import { hashCommand } from './hash.ts';
import { compareCommand } from './compare.ts';
import { serveCommand } from './serve.ts';
import { userAddCommand } from './user.ts';
import { auditVerifyCommand } from './audit.ts';
import { reportCommand } from './report.ts';
import { matchCommand } from './match.ts';
import { platformAddCommand, platformListCommand, platformRevokeCommand, platformWebhookCommand } from './platform.ts';
import { bankExportCommand, bankImportCommand, bankListCommand, bankSetCommand } from './bank.ts';
import { contentImportCommand } from './content.ts';

/** Every `takedown` command, in the order `takedown --help` lists them. Add new commands here. */
export const commands: CliCommand[] = [
  hashCommand,
  compareCommand,
  serveCommand,
  userAddCommand,
  auditVerifyCommand,
  reportCommand,
  matchCommand,
  platformAddCommand, platformListCommand, platformRevokeCommand, platformWebhookCommand,
  bankListCommand, bankImportCommand, bankExportCommand, bankSetCommand,
  contentImportCommand,
];
