import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.ts';
import { loadKeySet, writeKeyFile } from '../../config/master-key.ts';
import { sharedCopiesOf } from '../../config/shared-copies.ts';
import { keyIdOf } from '../../crypto/key-ring.ts';
import { keySetAsVariable, withNewKey, withoutOlderKeys, type KeySet } from '../../crypto/keys.ts';
import { keyUsage, leftToReseal, resealAll, type KeyUsage } from '../../services/key-rotation.ts';
import { DatabaseInUseError } from '../../store/database-errors.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { withStore, type CliStore } from '../with-store.ts';

const rotateHelp = `Usage: takedown keys rotate [--resume] [--batch N]

Makes a new master key the current one and re-encrypts every stored personal detail (cases' statements and
contacts, webhook secrets) and every shared copy under it. The older keys stay readable until nothing uses them;
then \`takedown keys retire\` removes them. See docs/backup-and-keys.md.

With the key file (<TAKEDOWN_DATA_DIR>/secret.key) the new key is written into it, first; a running server
encrypts with it within a second. Then, when this command can open the database (PostgreSQL, or the embedded
one while the server is stopped), it re-encrypts in batches of N (default 200) with progress on stderr; when a
server holds the embedded database, that server re-encrypts in the background instead (progress in its log).
Either way a kill stops nothing for good: the server's job, or --resume, carries on where it was.

With TAKEDOWN_SECRET_KEY the command cannot change the key: it prints the new value to set (new key first,
then the old ones); restart the server with it and it re-encrypts in the background.

--resume  re-encrypt what older keys still seal, without making a new key.

Keep a copy of the key file from before the rotation with the backups made before it: they need the old key.`;

const statusHelp = `Usage: takedown keys status [--json]

Lists the master keys (by id: the key itself is never printed), which one is current, and how many stored
values and shared copies each one encrypts. \`legacy\` counts values from before key ids, read with any key.
Reads the server's existing store (with the embedded database, stop the server first).`;

const retireHelp = `Usage: takedown keys retire

Removes the older master keys from the key file once nothing is encrypted with them any more (exit code 2, with
what is left, otherwise). The keyed hashes of PINs, contacts and sessions keep their keys (kept in the key file
as \`hash-keys:\`): they cannot be re-keyed without the PINs, which are never stored. With TAKEDOWN_SECRET_KEY,
it prints the value to set instead. Backups made before the rotation need a retired key: keep a copy with them.`;

function describeUsage(usage: KeyUsage, set: KeySet): string[] {
  const ids = set.masters.map(keyIdOf);
  const known = [...new Set([...ids, ...Object.keys(usage.values), ...Object.keys(usage.files)])];
  return known.map((id) => {
    const role = id === ids[0] ? 'current' : ids.includes(id) ? 'older, still readable' : id === 'legacy' ? 'from before key ids' : 'NOT HELD: these cannot be read';
    return `  ${id}  ${role}: ${usage.values[id] ?? 0} values, ${usage.files[id] ?? 0} shared copies`;
  });
}

async function reencrypt({ config, database, keys }: CliStore, batchSize: number): Promise<number> {
  const copies = sharedCopiesOf(config, keys);
  const done = await resealAll(database, keys.pii, copies, {
    batchSize,
    onProgress: (total, left) => console.error(`Re-encrypted ${total.values} values and ${total.files} shared copies; about ${left} left.`),
  });
  const left = leftToReseal(await keyUsage(database, copies), keys.pii.current.id);
  if (left > 0) {
    console.error(`${left} values or copies are still under older keys (held by another process at the moment, or a case being erased): run \`takedown keys rotate --resume\` again.`);
    return 2;
  }
  const older = keys.pii.previousIds;
  console.log(`Done: ${done.values} values and ${done.files} shared copies re-encrypted under key ${keys.pii.current.id}.`);
  if (older.length > 0) console.log(`Nothing uses ${older.join(', ')} any more: \`takedown keys retire\` removes them.`);
  return 0;
}

function batchOption(value: string | undefined): number {
  if (value === undefined) return 200;
  const batch = /^\d+$/.test(value) ? Number(value) : 0;
  if (batch < 1) throw new UsageError(`--batch takes a whole number of values per transaction, 1 or more, not "${value}".`);
  return batch;
}

export const keysRotateCommand: CliCommand = {
  help: rotateHelp,
  async run(args) {
    const { values } = parseArgs({ args, options: { resume: { type: 'boolean', default: false }, batch: { type: 'string' } } });
    const batchSize = batchOption(values.batch);
    const config = loadConfig(process.env);
    if (!values.resume) {
      const set = loadKeySet(config, { create: false });
      const next = withNewKey(set);
      const newId = keyIdOf(next.masters[0]!);
      if (config.secretKey) {
        console.log('TAKEDOWN_SECRET_KEY is set, so the key is not kept in a file this command could change. Set it to this value');
        console.log('(the new key first, then the older ones and the keyed-hash keys) and restart the server; it re-encrypts in the background:');
        console.log(`TAKEDOWN_SECRET_KEY=${keySetAsVariable(next)}`);
        console.log(`New key: ${newId}. Then \`takedown keys rotate --resume\` (with the new value) finishes or shows the rest.`);
        return 0;
      }
      writeKeyFile(config.dataDir, next);
      console.log(`Key ${newId} is now current in ${config.dataDir}/secret.key; ${set.masters.map(keyIdOf).join(', ')} stay readable until nothing uses them.`);
    }
    try {
      return await withStore((store) => reencrypt(store, batchSize));
    } catch (error) {
      if (!(error instanceof DatabaseInUseError)) throw error;
      console.log('The server running on this data dir encrypts with the new key within a second and re-encrypts the rest in the background (progress in its log).');
      return 0;
    }
  },
};

export const keysStatusCommand: CliCommand = {
  help: statusHelp,
  async run(args) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
    return withStore(async ({ config, database, keys }) => {
      const set = loadKeySet(config, { create: false });
      const usage = await keyUsage(database, sharedCopiesOf(config, keys));
      if (values.json) console.log(JSON.stringify({ current: keys.pii.current.id, older: keys.pii.previousIds, ...usage }));
      else console.log(['Keys (by id):', ...describeUsage(usage, set)].join('\n'));
      return 0;
    });
  },
};

export const keysRetireCommand: CliCommand = {
  help: retireHelp,
  async run() {
    return withStore(async ({ config, database, keys }) => {
      const set = loadKeySet(config, { create: false });
      const older = keys.pii.previousIds;
      if (older.length === 0) {
        console.log(`Only the current key (${keys.pii.current.id}) is held: nothing to retire.`);
        return 0;
      }
      const left = leftToReseal(await keyUsage(database, sharedCopiesOf(config, keys)), keys.pii.current.id);
      if (left > 0) {
        console.error(`${left} values or shared copies are still encrypted under older keys: run \`takedown keys rotate --resume\` first.`);
        return 2;
      }
      const next = withoutOlderKeys(set);
      if (config.secretKey) {
        console.log(`Nothing uses ${older.join(', ')} any more. Set TAKEDOWN_SECRET_KEY to this value and restart the server:`);
        console.log(`TAKEDOWN_SECRET_KEY=${keySetAsVariable(next)}`);
        return 0;
      }
      writeKeyFile(config.dataDir, next);
      console.log(`Retired ${older.join(', ')}: the key file holds the current key ${keys.pii.current.id} and the keyed-hash keys.`);
      console.log('Backups made before the rotation need a retired key: keep the key file you copied before rotating with them.');
      return 0;
    });
  },
};
