import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { systemClock } from '@takedown/core';
import {
  createStaffUser,
  revokeStaffSessions,
  setStaffDisabled,
  setStaffPassword,
  StaffInputError,
  STAFF_ROLES,
  type AccountChange,
  type StaffRole,
} from '../../services/staff.ts';
import { resetSecondFactor } from '../../services/staff-second-factor.ts';
import { withStore, type CliStore } from '../with-store.ts';
import { UsageError, type CliCommand } from '../command.ts';

const SAME_DATABASE = `Uses the same database as the server (DATABASE_URL or ./data); with the embedded database, stop the
server first. Audited as actor "cli".`;

const addHelp = `Usage: takedown user add --role reviewer|senior|admin|auditor <username> [--password-stdin]

Creates a staff account; the first real admin of a new deployment is made this way. The password is read
from standard input with --password-stdin, otherwise a random one is generated and printed once. A password
needs at least 15 characters and must not be easy to guess (common or breached passwords, repeats,
sequences, keyboard patterns, the username or the service's name are refused, with the reason).
${SAME_DATABASE}`;

const resetHelp = `Usage: takedown user reset-password <username> [--password-stdin]

Sets a new password (read from standard input with --password-stdin, otherwise generated and printed once),
checked like a new account's, and ends every session of the account. ${SAME_DATABASE}`;

const disableHelp = `Usage: takedown user disable <username>

Disables a staff account: it cannot sign in, and its sessions end at once. \`takedown user enable\` undoes it.
${SAME_DATABASE}`;

const enableHelp = `Usage: takedown user enable <username>

Lets a disabled staff account sign in again (with its old password; reset it if it may be known).
${SAME_DATABASE}`;

const revokeHelp = `Usage: takedown user revoke-sessions <username>

Signs a staff account out everywhere (a lost laptop, a shared screen); the password stays. ${SAME_DATABASE}`;

const resetSecondFactorHelp = `Usage: takedown user reset-second-factor <username>

Removes a staff account's authenticator app and recovery codes (a lost or replaced phone) and ends its
sessions. The person signs in with their password and sets up a new app; where a second factor is required
(TAKEDOWN_STAFF_REQUIRE_SECOND_FACTOR=1), they can do nothing else until they have. ${SAME_DATABASE}`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** The one username a command takes. */
function onlyUsername(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError('give exactly one username.');
  return positionals[0];
}

/** A password from stdin (--password-stdin) or a generated one, to print once. */
async function newPassword(fromStdin: boolean): Promise<string> {
  return fromStdin ? readStdin() : randomBytes(15).toString('base64url');
}

/** Runs an account change; a weak password or an unknown user is exit code 2 with the reason. */
async function changeAccount(name: string, username: string, change: (store: CliStore) => Promise<AccountChange>, done: (sessionsEnded: number) => string): Promise<number> {
  return withStore(async (store) => {
    try {
      const result = await change(store);
      if (!result) {
        console.error(`takedown ${name}: there is no staff account named "${username}".`);
        return 2;
      }
      console.log(done(result.sessionsEnded));
      return 0;
    } catch (error) {
      if (error instanceof StaffInputError) {
        console.error(`takedown ${name}: ${error.message}`);
        return 2;
      }
      throw error;
    }
  });
}

const sessions = (n: number) => `${n} session${n === 1 ? '' : 's'} ended`;

export const userAddCommand: CliCommand = {
  help: addHelp,
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { role: { type: 'string' }, 'password-stdin': { type: 'boolean', default: false } } });
    const username = onlyUsername(positionals);
    if (!values.role) throw new UsageError(`--role is required (${STAFF_ROLES.join(', ')}).`);
    if (!(STAFF_ROLES as readonly string[]).includes(values.role)) {
      console.error(`takedown user add: the role must be one of ${STAFF_ROLES.join(', ')}, not "${values.role}".`);
      return 2;
    }
    const password = await newPassword(values['password-stdin']);
    return withStore(async ({ database }) => {
      try {
        const user = await createStaffUser(database, systemClock, { username, role: values.role as StaffRole, password }, 'cli');
        console.log(`Created ${user.role} "${user.username}".`);
        if (!values['password-stdin']) console.log(`Password (shown once): ${password}`);
        return 0;
      } catch (error) {
        if (error instanceof StaffInputError) {
          console.error(`takedown user add: ${error.message}`);
          return 2;
        }
        throw error;
      }
    });
  },
};

export const userResetPasswordCommand: CliCommand = {
  help: resetHelp,
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'password-stdin': { type: 'boolean', default: false } } });
    const username = onlyUsername(positionals);
    const password = await newPassword(values['password-stdin']);
    return changeAccount('user reset-password', username, ({ database }) => setStaffPassword(database, systemClock, username, password, 'cli'), (ended) =>
      [`New password set for "${username}"; ${sessions(ended)}.`, ...(values['password-stdin'] ? [] : [`Password (shown once): ${password}`])].join('\n'),
    );
  },
};

/** `user disable` and `user enable`: the same command, either way. */
function disableCommand(disabled: boolean): CliCommand {
  return {
    help: disabled ? disableHelp : enableHelp,
    async run(args) {
      const username = onlyUsername(parseArgs({ args, allowPositionals: true, options: {} }).positionals);
      return changeAccount(`user ${disabled ? 'disable' : 'enable'}`, username, ({ database }) => setStaffDisabled(database, systemClock, username, disabled, 'cli'), (ended) =>
        disabled ? `Disabled "${username}"; ${sessions(ended)}.` : `Enabled "${username}"; it can sign in again.`,
      );
    },
  };
}

export const userDisableCommand = disableCommand(true);
export const userEnableCommand = disableCommand(false);

export const userRevokeSessionsCommand: CliCommand = {
  help: revokeHelp,
  async run(args) {
    const username = onlyUsername(parseArgs({ args, allowPositionals: true, options: {} }).positionals);
    return changeAccount('user revoke-sessions', username, ({ database }) => revokeStaffSessions(database, systemClock, username, 'cli'), (ended) => `Signed "${username}" out everywhere; ${sessions(ended)}.`);
  },
};

export const userResetSecondFactorCommand: CliCommand = {
  help: resetSecondFactorHelp,
  async run(args) {
    const username = onlyUsername(parseArgs({ args, allowPositionals: true, options: {} }).positionals);
    return changeAccount('user reset-second-factor', username, ({ database }) => resetSecondFactor(database, systemClock, username, 'cli'), (ended) =>
      `Removed the second factor of "${username}"; ${sessions(ended)}. They set up a new one at their next sign-in.`,
    );
  },
};
