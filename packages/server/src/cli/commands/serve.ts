import { parseArgs } from 'node:util';
import { systemClock } from '@takedown/core';
import { ConfigError } from '../../config/config-error.ts';
import { loadConfig } from '../../config/config.ts';
import { followKeyFile, loadKeys } from '../../config/master-key.ts';
import { createWorker } from '../../jobs/handlers.ts';
import { startVideoService } from '../../media/video/video-service.ts';
import { Metrics } from '../../observability/metrics.ts';
import { startTracing } from '../../observability/tracing.ts';
import { PlatformRuntime } from '../../services/platform-runtime.ts';
import { ExchangeFollower } from '../../services/exchange-follower.ts';
import { migrate, openDatabase } from '../../store/database.ts';
import { ensureDemoData } from '../../services/demo.ts';
import { UsageError, type CliCommand } from '../command.ts';

const help = `Usage: takedown serve [--port N] [--host H] [--data-dir DIR] [--demo] [--no-worker]

Starts the server: the HTTP API (docs at /docs, OpenAPI at /openapi.json) and the job worker.
Database: the embedded PGlite in ./data (created on first start), or PostgreSQL when DATABASE_URL is set.
Migrations run at start. Nothing else is created: make the first admin with
\`takedown user add --role admin <username>\`. With --demo (\`npm start\` passes it), a demo admin and demo
cases, all marked as demo, are created once; the demo admin's password is printed only when it is created.

Environment (all of them in the README's configuration table): DATABASE_URL, TAKEDOWN_SECRET_KEY (32 bytes,
base64 or hex; else data/secret.key is made), TAKEDOWN_DATA_DIR, PORT, HOST, TAKEDOWN_INTAKE_RATE_LIMIT
(requests per IP per minute), TAKEDOWN_RETENTION_DAYS (default 365), TAKEDOWN_LOG_LEVEL (info; "silent" for
none), TAKEDOWN_TRUST_PROXY (the reverse proxy's addresses, when behind one), TAKEDOWN_FFMPEG /
TAKEDOWN_FFPROBE (paths; else on PATH: without them videos cannot be hashed, images can), and the platform
limits (TAKEDOWN_MAX_*, TAKEDOWN_KEY_CACHE_MS, TAKEDOWN_WEBHOOK_*), following other deployments' feeds
(TAKEDOWN_EXCHANGE_*; the worker applies them), key rotation batches (TAKEDOWN_REKEY_BATCH,
TAKEDOWN_REKEY_EVERY_MS), TAKEDOWN_METRICS_TOKEN (GET /metrics for Prometheus; off without it),
OTEL_EXPORTER_OTLP_ENDPOINT (OpenTelemetry traces; off without it). A key file changed by takedown keys
rotate is followed while the server runs.
Every variable is checked at start: bad values are all named, with what to set, and the exit code is 1.`;

/** Checks --port here, so that a bad one is reported as the flag it is (with the usage), not as PORT. */
function portOption(value: string): void {
  const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(port <= 65_535)) throw new UsageError(`--port must be a whole number from 0 to 65535, not "${value}".`);
}

/** An address the server cannot listen on is a setting to fix (HOST, PORT): said in one line, exit code 1. */
function listenProblem(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE') return new ConfigError([{ setting: 'PORT', message: `Port ${port} is already in use on ${host}: stop the program using it, or set PORT (or --port) to a free port.` }]);
  if (code === 'EACCES') return new ConfigError([{ setting: 'PORT', message: `This user may not listen on ${where} (ports below 1024 need privileges): set PORT (or --port) to 1024 or more.` }]);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ConfigError([{ setting: 'HOST', message: `Cannot listen on ${where}: this machine has no such address. Set HOST (or --host) to one of its addresses, e.g. 127.0.0.1 or 0.0.0.0.` }]);
  return error;
}

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
        demo: { type: 'boolean', default: false },
        worker: { type: 'boolean', default: true },
      },
    });
    // The flags stand in for their variables (so a bad value is named once, and a flag hides a bad variable);
    // bad settings throw a ConfigError that names every one of them (printed by the CLI's entry point, exit 1).
    if (values.port !== undefined) portOption(values.port);
    const env = {
      ...process.env,
      ...(values.port !== undefined && { PORT: values.port }),
      ...(values.host !== undefined && { HOST: values.host }),
      ...(values['data-dir'] !== undefined && { TAKEDOWN_DATA_DIR: values['data-dir'] }),
    };
    const config = loadConfig(env, { runWorker: values.worker, demoData: values.demo });
    const clock = systemClock;
    const keys = loadKeys(config);
    // An unreachable database is a DatabaseUnavailableError: one line saying which store and what to check.
    const database = await openDatabase(config);
    const applied = await migrate(database);
    // Loaded here, not at the top: every other `takedown` command starts faster without Fastify and its plugins.
    const { buildApp } = await import('../../http/app.ts');
    // Checked once, here: video routes use this service and answer 503 with its message when ffmpeg is absent.
    const video = await startVideoService({ ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath });
    // Made once and handed to both: the routes and the jobs share the same indexes and settings.
    // A sharded PDQ index (banks of tens of millions of hashes) says how its build goes, shard by shard.
    const platform = new PlatformRuntime(database, config.platform, { log: (fields, message) => console.log(`${message} ${JSON.stringify(fields)}`) });
    // The match index is loaded before the HTTP plugins are registered: a million hashes take longer than a
    // plugin may (Fastify's 10 s), and the server should answer only once it can match. A sharded index is
    // built in its worker threads meanwhile, so this thread's event loop is free during the minutes it takes.
    await platform.load();
    // One set of metrics and one tracer for the routes and the jobs of this process.
    const metrics = new Metrics();
    const tracing = config.tracing ? startTracing(config.tracing) : undefined;
    const app = await buildApp(config, { database, keys, clock, video, platform, metrics, tracer: tracing?.tracer });
    const worker = createWorker({ config, database, clock, keys, platform, logger: app.log, metrics, tracer: tracing?.tracer });
    // `takedown keys rotate` writes a new key into the key file while the server runs: use it from then on.
    const stopFollowingKeys = followKeyFile(config, keys, (key) => app.log.info({ key }, 'a new key is current: new values are encrypted with it, older ones are re-encrypted in the background'));
    // The feeds this deployment follows are applied by the process that runs the jobs.
    const exchange = new ExchangeFollower({ database, keys, clock, config: config.exchange, afterApply: () => platform.sync(), index: platform.follower, logger: app.log });
    if (config.runWorker) {
      await worker.start();
      await exchange.start();
    }
    const demo = values.demo ? await ensureDemoData(database, keys, clock) : undefined;
    let address: string;
    try {
      address = await app.listen({ host: config.host, port: config.port });
    } catch (error) {
      stopFollowingKeys();
      await exchange.stop();
      await worker.stop();
      await app.close();
      await tracing?.shutdown();
      await database.close();
      throw listenProblem(error, config.host, config.port);
    }

    const where = database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
    const lines = [
      '',
      `takedown is running at ${address}`,
      `  database: ${where}${applied.length ? ` (migrations applied: ${applied.join(', ')})` : ''}`,
      `  API docs: ${address}/docs   OpenAPI: ${address}/openapi.json`,
      video.ffmpeg.available ? `  video: ${video.ffmpeg.version}` : `  video: OFF. ${video.ffmpeg.message}`,
      `  metrics: ${config.metricsToken ? `${address}/metrics (bearer token TAKEDOWN_METRICS_TOKEN)` : 'off (set TAKEDOWN_METRICS_TOKEN)'}   tracing: ${config.tracing ? `OTLP/HTTP to ${new URL(config.tracing.endpoint).origin}` : 'off'}`,
    ];
    if (demo) {
      app.log.warn({ demoData: true }, 'DEMO DATA is on (takedown serve --demo): fictional cases and a demo admin, marked "demo"; start without --demo for real use');
      lines.push(
        '',
        'DEMO DATA is on (takedown serve --demo; start without --demo for real use):',
        `  ${demo.casesCreated ? `${demo.casesCreated} demo cases created` : 'demo cases already present'}, marked "demo" and left out of reports.`,
        `  Review console: ${address}/review`,
        ...(demo.password
          ? [
              `    username: ${demo.username}`,
              `    password: ${demo.password}   (shown only now; \`takedown user reset-password ${demo.username}\` sets a new one)`,
              `  or by API: curl -c cookies.txt -H 'content-type: application/json' \\`,
              `    -d '{"username":"${demo.username}","password":"${demo.password}"}' ${address}/v1/staff/login`,
            ]
          : [`    username: ${demo.username} (its password was printed when it was made; \`takedown user reset-password ${demo.username}\` sets a new one)`]),
      );
    } else {
      lines.push('', 'No demo data. Create the first admin with: takedown user add --role admin <username>');
    }
    console.log(lines.join('\n') + '\n');

    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    stopFollowingKeys();
    await exchange.stop();
    await worker.stop();
    await app.close();
    await tracing?.shutdown();
    await database.close();
    return 0;
  },
};
