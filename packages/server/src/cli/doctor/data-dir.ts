import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import { KEY_FILE_NAME } from '../../config/master-key.ts';
import { fail, ok, type Finding } from './finding.ts';

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0');

/**
 * The data dir (embedded database, key file, shared pictures) must exist, belong to this user, be writable by it
 * and closed to everyone else (0700); the key file, when one is used, 0600.
 */
export function checkDataDir(dataDir: string, usesKeyFile: boolean): Finding[] {
  const check = 'data dir';
  let stats;
  try {
    stats = statSync(dataDir);
  } catch {
    return [fail(check, `${dataDir} does not exist. Set TAKEDOWN_DATA_DIR to the server's data folder, or create it: mkdir -m 700 ${dataDir}`)];
  }
  if (!stats.isDirectory()) return [fail(check, `${dataDir} is not a folder. Set TAKEDOWN_DATA_DIR to the server's data folder.`)];
  const findings: Finding[] = [];
  if (process.getuid && stats.uid !== process.getuid()) {
    findings.push(fail(check, `${dataDir} belongs to user id ${stats.uid}, not to this user (${process.getuid()}). Run takedown as the user that owns it, or: chown -R $(id -u) ${dataDir}`));
  }
  try {
    accessSync(dataDir, constants.W_OK);
  } catch {
    findings.push(fail(check, `${dataDir} cannot be written by this user. Fix its owner or mode: chmod 700 ${dataDir}`));
  }
  if ((stats.mode & 0o077) !== 0) {
    findings.push(fail(check, `${dataDir} is open to other users (mode ${octal(stats.mode)}): it holds the database, the key and shared pictures. Fix: chmod 700 ${dataDir}`));
  }
  if (usesKeyFile) {
    const keyFile = join(dataDir, KEY_FILE_NAME);
    try {
      const mode = statSync(keyFile).mode;
      if ((mode & 0o077) !== 0) findings.push(fail('key file', `${keyFile} is readable by other users (mode ${octal(mode)}). Fix: chmod 600 ${keyFile}`));
    } catch {
      // a missing key file is the key check's to report
    }
  }
  return findings.length > 0 ? findings : [ok(check, `${dataDir} belongs to this user and is closed to others (${octal(stats.mode)})`)];
}
