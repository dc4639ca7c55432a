import { parseArgs } from 'node:util';
import { systemClock } from '@takedown/core';
import { ConfigError, loadConfig } from '../../config/config.ts';
import { deriveKeys, loadMasterKey } from '../../crypto/keys.ts';
import { createWorker } from '../../jobs/handlers.ts';
import { startVideoService } from '../../media/video/video-service.ts';
import { DatabaseInUseError, migrate, openDatabase } from '../../store/database.ts';
import { ensureDemoData } from '../../store/demo.ts';
import type { CliCommand } from '../command.ts';

const help = `Usage: takedown serve [--port N] [--host H] [--data-dir DIR] [--no-demo] [--no-worker]

Starts the server: the HTTP API (docs at /docs, OpenAPI at /openapi.json) and the job worker.
Database: the embedded PGlite in ./data (created on first start), or PostgreSQL when DATABASE_URL is set.
Migrations run at start. Unless --no-demo, a demo admin (new password printed at every start) and demo
cases, all marked as demo, are created.

Environment: DATABASE_URL, TAKEDOWN_SECRET_KEY (32 bytes, base64 or hex; else data/secret.key is made),
TAKEDOWN_DATA_DIR, PORT, HOST, TAKEDOWN_INTAKE_RATE_LIMIT (requests per IP per minute),
TAKEDOWN_RETENTION_DAYS (default 365), TAKEDOWN_LOG_LEVEL (info; "silent" for none),
TAKEDOWN_TRUST_PROXY (true, or the proxy addresses, when behind a reverse proxy),
TAKEDOWN_FFMPEG / TAKEDOWN_FFPROBE (paths; else on PATH: without them videos cannot be hashed, images can).`;

export const serveCommand: CliCommand = {
  help,
  async run(args) {
    const { values } = parseArgs({
      args,
      allowNegative: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        demo: { type: 'boolean', default: true },
        worker: { type: 'boolean', default: true },
      },
    });
    let config;
    try {
      const overrides: Record<string, string | undefined> = { ...process.env };
      if (values.port !== undefined) overrides.PORT = values.port;
      if (values.host !== undefined) overrides.HOST = values.host;
      if (values['data-dir'] !== undefined) overrides.TAKEDOWN_DATA_DIR = values['data-dir'];
      config = loadConfig(overrides, { runWorker: values.worker });
    } catch (error) {
      if (error instanceof ConfigError) {
        console.error(`takedown serve: ${error.message}`);
        return 2;
      }
      throw error;
    }
    const clock = systemClock;
    let keys;
    let database;
    try {
      keys = deriveKeys(loadMasterKey(config));
      database = await openDatabase(config);
    } catch (error) {
      if (error instanceof ConfigError || error instanceof DatabaseInUseError) {
        console.error(`takedown serve: ${error.message}`);
        return 2;
      }
      throw error;
    }
    const applied = await migrate(database);
    // Loaded here, not at the top: every other `takedown` command starts faster without Fastify and its plugins.
    const { buildApp } = await import('../../app.ts');
    // Checked once, here: video routes use this service and answer 503 with its message when ffmpeg is absent.
    const video = await startVideoService();
    const app = await buildApp(config, { database, keys, clock, video });
    const worker = createWorker({ config, database, clock, logger: app.log });
    if (config.runWorker) await worker.start();
    const demo = values.demo ? await ensureDemoData(database, keys, clock) : undefined;
    const address = await app.listen({ host: config.host, port: config.port });

    const where = database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
    const lines = [
      '',
      `takedown is running at ${address}`,
      `  database: ${where}${applied.length ? ` (migrations applied: ${applied.join(', ')})` : ''}`,
      `  API docs: ${address}/docs   OpenAPI: ${address}/openapi.json`,
      video.ffmpeg.available ? `  video: ${video.ffmpeg.version}` : `  video: OFF. ${video.ffmpeg.message}`,
    ];
    if (demo) {
      lines.push(
        '',
        'DEMO DATA is on (start with --no-demo to turn it off):',
        `  ${demo.casesCreated ? `${demo.casesCreated} demo cases created` : 'demo cases already present'}, marked "demo" and left out of reports.`,
        `  Log in to the review console at ${address}/review`,
        `    username: ${demo.username}`,
        `    password: ${demo.password}   (new at every start)`,
        `  or by API: curl -c cookies.txt -H 'content-type: application/json' \\`,
        `    -d '{"username":"${demo.username}","password":"${demo.password}"}' ${address}/v1/staff/login`,
      );
    } else {
      lines.push('', 'No demo data. Create a staff account with: takedown user add --role admin <username>');
    }
    console.log(lines.join('\n') + '\n');

    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await worker.stop();
    await app.close();
    await database.close();
    return 0;
  },
};
