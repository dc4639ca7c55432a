import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../config/config-error.ts';
import { loadConfig } from '../../config/config.ts';
import { KEY_FILE_NAME, loadMasterKey } from '../../config/master-key.ts';
import { deriveKeys, type Keys } from '../../crypto/keys.ts';
import { detectFfmpeg } from '../../media/video/detect-ffmpeg.ts';
import { checkDataDir } from '../doctor/data-dir.ts';
import { checkDatabase } from '../doctor/database.ts';
import { fail, formatFinding, ok, type Finding } from '../doctor/finding.ts';
import { checkMail } from '../doctor/mail.ts';
import { checkSingleSignOn } from '../doctor/single-sign-on.ts';
import type { CliCommand } from '../command.ts';

const help = `Usage: takedown doctor [--json]

Checks a deployment with the server's settings and prints what to fix: every setting usable; the data dir
this user's alone (0700) and the key file 0600; the key present and opening the stored data; the database
answering, with every migration of this version applied (doctor applies none); this machine's clock agreeing
with the database's; ffmpeg and ffprobe present; the SMTP server (TAKEDOWN_SMTP_URL) answering and accepting
our sign-in (no message is sent); each platform's webhook endpoint answering (a HEAD request, no event); with
single sign-on, the identity provider's discovery document. Exit code 0 when everything is fine, 1 when
something needs fixing (or a setting is unusable).
With the embedded database, stop the server first (PGlite is one process's database).`;

function checkKey(config: { secretKey?: string; dataDir: string }): { finding: Finding; keys?: Keys } {
  try {
    const keys = deriveKeys(loadMasterKey(config, { create: false }));
    return { keys, finding: ok('key', config.secretKey ? 'TAKEDOWN_SECRET_KEY is set and well formed' : `the key file ${join(config.dataDir, KEY_FILE_NAME)} is present and well formed`) };
  } catch (error) {
    if (error instanceof ConfigError) return { finding: fail('key', error.problems.map((problem) => problem.message).join(' ')) };
    throw error;
  }
}

export const doctorCommand: CliCommand = {
  help,
  async run(args) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
    // Unusable settings are thrown as a ConfigError: one line each, exit code 1, as for every command.
    const config = loadConfig(process.env);
    const key = checkKey(config);
    const ffmpeg = await detectFfmpeg({ ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath });
    const findings: Finding[] = [
      ok('settings', 'every variable can be used'),
      // Before the database is opened: opening the embedded one narrows the folder's mode itself.
      ...checkDataDir(config.dataDir, !config.secretKey),
      key.finding,
      ...(await checkDatabase(config, key.keys)),
      ffmpeg.available ? ok('ffmpeg', ffmpeg.version) : fail('ffmpeg', ffmpeg.message),
      await checkMail(config.notify),
      ...(await checkSingleSignOn(config.staffSignIn.sso)),
    ];
    const problems = findings.filter((finding) => !finding.ok).length;
    if (values.json) console.log(JSON.stringify({ ok: problems === 0, findings }));
    else {
      for (const finding of findings) console.log(formatFinding(finding));
      console.log(problems === 0 ? 'Everything checked is fine.' : `${problems} ${problems === 1 ? 'thing' : 'things'} to fix.`);
    }
    return problems === 0 ? 0 : 1;
  },
};
