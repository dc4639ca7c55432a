import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { systemClock } from '@takedown/core';
import { createStaffUser, StaffInputError, STAFF_ROLES, type StaffRole } from '../../services/staff.ts';
import { withStore } from '../with-store.ts';
import { UsageError, type CliCommand } from '../command.ts';

const help = `Usage: takedown user add --role reviewer|senior|admin|auditor <username> [--password-stdin]

Creates a staff account. The password is read from standard input with --password-stdin, otherwise a
random one is generated and printed once. Uses the same database as the server (DATABASE_URL or ./data);
with the embedded database, stop the server first.`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export const userAddCommand: CliCommand = {
  help,
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { role: { type: 'string' }, 'password-stdin': { type: 'boolean', default: false } } });
    if (positionals.length !== 1) throw new UsageError('give exactly one username.');
    if (!values.role) throw new UsageError(`--role is required (${STAFF_ROLES.join(', ')}).`);
    if (!(STAFF_ROLES as readonly string[]).includes(values.role)) {
      console.error(`takedown user add: the role must be one of ${STAFF_ROLES.join(', ')}, not "${values.role}".`);
      return 2;
    }
    const password = values['password-stdin'] ? await readStdin() : randomBytes(15).toString('base64url');
    return withStore(async ({ database }) => {
      try {
        const user = await createStaffUser(database, systemClock, { username: positionals[0], role: values.role as StaffRole, password }, 'cli');
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
