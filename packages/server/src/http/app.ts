import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { systemClock, type Clock } from '@takedown/core';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { ServerConfig } from '../config/config.ts';
import { loadKeys } from '../config/master-key.ts';
import { sharedCopiesOf } from '../config/shared-copies.ts';
import { installErrorHandling } from './errors.ts';
import { logOptions, stdoutLog } from './logging.ts';
import { RequestLog } from './request-log.ts';
import { refuseNulInAddress } from './refuse-nul-in-address.ts';
import { startVideoService } from '../media/video/video-service.ts';
import { DecodeBudget } from '../media/decode-budget.ts';
import { Metrics } from '../observability/metrics.ts';
import { startTracing } from '../observability/tracing.ts';
import { observeRequests } from './observe-requests.ts';
import { sharedRateLimitStore } from './rate-limit-store.ts';
import auditRoutes from './routes/audit.ts';
import healthRoutes from './routes/health.ts';
import mediaRoutes from './routes/media.ts';
import metricsRoutes from './routes/metrics.ts';
import platformApi from './routes/platform-api.ts';
import removalTimeRoutes from './routes/removal-times.ts';
import reportRoutes from './routes/reports.ts';
import dsaReportRoutes from './routes/dsa-reports.ts';
import bankRoutes from './routes/banks.ts';
import exchangeRoutes from './routes/exchange.ts';
import requestRoutes from './routes/requests.ts';
import reportLinkRoutes from './routes/report-links.ts';
import requestDraftRoutes from './routes/request-drafts.ts';
import requesterDataRoutes from './routes/requester-data.ts';
import pinRecoveryRoutes from './routes/pin-recovery.ts';
import notificationRoutes from './routes/notifications.ts';
import reviewRoutes from './routes/review.ts';
import appealRoutes from './routes/appeals.ts';
import notifierRoutes from './routes/notifiers.ts';
import notifierContestRoutes from './routes/notifier-contest.ts';
import regulatorNoticeRoutes from './routes/regulator-notices.ts';
import staffRoutes from './routes/staff.ts';
import staffSecondFactorRoutes from './routes/staff-second-factor.ts';
import staffSsoRoutes from './routes/staff-sso.ts';
import webRoutes from './routes/web.ts';
import { ErrorBody } from './schemas.ts';
import { closeConnectionsWhileStopping } from './close-connections-while-stopping.ts';
import type { Services } from './app-services.ts';
import { PlatformRuntime } from '../services/platform-runtime.ts';
import { migrate, openDatabase } from '../store/database.ts';

/**
 * The feature plugins, in one visible list. Each file in http/routes/ exports a Fastify plugin that reads
 * `app.services`; adding a feature is one import and one line here.
 */
export const routePlugins: FastifyPluginAsync[] = [
  healthRoutes,
  metricsRoutes,
  requestRoutes,
  reportLinkRoutes,
  requestDraftRoutes,
  requesterDataRoutes,
  pinRecoveryRoutes,
  staffRoutes,
  notificationRoutes,
  staffSsoRoutes,
  staffSecondFactorRoutes,
  reviewRoutes,
  appealRoutes,
  notifierRoutes,
  notifierContestRoutes,
  regulatorNoticeRoutes,
  auditRoutes,
  reportRoutes,
  dsaReportRoutes,
  bankRoutes,
  exchangeRoutes,
  mediaRoutes,
  removalTimeRoutes,
  platformApi,
  webRoutes,
];

/**
 * Builds the HTTP application. Pass `services` to share a database, a ManualClock or the platform runtime
 * with a worker (tests, `takedown serve`); otherwise the database named by the config is opened and migrated,
 * and closed with the app, and the platform runtime is made from `config.platform`.
 * @example
 * const app = await buildApp(loadConfig(process.env));
 * await app.listen({ host: app.services.config.host, port: app.services.config.port });
 */
export async function buildApp(config: ServerConfig, services: Partial<Omit<Services, 'config'>> = {}): Promise<FastifyInstance> {
  const database = services.database ?? (await openDatabase(config));
  if (!services.database) await migrate(database);
  const keys = services.keys ?? loadKeys(config);
  const clock: Clock = services.clock ?? systemClock;
  // ffmpeg is looked for once; without it video routes answer 503 with how to install it, images keep working.
  const video = services.video ?? (await startVideoService({ ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath }));
  const platform = services.platform ?? new PlatformRuntime(database, config.platform);
  const decodeBudget = services.decodeBudget ?? new DecodeBudget(config.decode);
  const sharedCopies = services.sharedCopies ?? sharedCopiesOf(config, keys);
  const metrics = services.metrics ?? new Metrics();
  // Tracing configured but no tracer given: this app starts its own exporter and stops it when it closes.
  const tracing = !services.tracer && config.tracing ? startTracing(config.tracing) : undefined;
  const tracer = services.tracer ?? tracing?.tracer;

  const log = config.logLevel === 'silent' ? undefined : stdoutLog();
  const app = Fastify({
    logger: logOptions(config.logLevel, log?.stream),
    // A request line and a completion line per request (one, the completion line, where a route's config says
    // `completionLineOnly`: the upload check); a route's own fields go on the completion line.
    logController: new RequestLog(),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // Unknown fields are errors (not silently dropped), types are never coerced, and every problem is listed.
    // `verbose` hands the error handler the schema each error broke, whose `x-expected` says what to send.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true, useDefaults: true, verbose: true, keywords: ['x-expected'] } },
  });
  app.decorateRequest('completionLogFields', undefined);
  if (log) app.addHook('onClose', async () => log.close());
  app.decorate('services', { config, database, keys, clock, video, platform, decodeBudget, sharedCopies, metrics, tracer });
  if (tracing) app.addHook('onClose', () => tracing.shutdown());
  observeRequests(app, metrics, tracer);
  if (!video.ffmpeg.available) app.log.warn({ ffmpeg: 'missing' }, video.ffmpeg.message);
  if (!services.database) app.addHook('onClose', () => database.close());
  installErrorHandling(app);
  refuseNulInAddress(app);
  app.addSchema(ErrorBody);

  await app.register(fastifyCookie, { secret: keys.session.toString('hex') });
  await app.register(fastifyCsrf, { cookieOpts: { signed: true, httpOnly: true, secure: true, sameSite: 'strict', path: '/' } });
  // Counted in the database: replicas behind one load balancer share each limit (docs/scale.md).
  await app.register(fastifyRateLimit, { global: false, store: sharedRateLimitStore(database, keys) });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'takedown',
        version: '0.1.0',
        description: 'Removal requests for non-consensual intimate imagery (TAKE IT DOWN Act), review, and the audit trail.',
      },
      components: {
        securitySchemes: {
          staffSession: { type: 'apiKey', in: 'cookie', name: 'takedown_session' },
          casePin: { type: 'apiKey', in: 'header', name: 'Takedown-Case-Pin' },
          platformKey: { type: 'http', scheme: 'bearer', description: 'Platform API key: Authorization: Bearer tdk_…' },
          metricsToken: { type: 'http', scheme: 'bearer', description: 'The metrics token (TAKEDOWN_METRICS_TOKEN), for Prometheus' },
        },
      },
    },
  });
  // The docs page runs only its own scripts and styles (hashes of the inline ones), loads nothing from elsewhere
  // and may not be framed.
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    transformStaticCSP: (header: string) =>
      header
        .replace(' upgrade-insecure-requests;', '')
        .replace(' validator.swagger.io', '')
        .replaceAll(' https:', '')
        .replace("frame-ancestors 'self'", "frame-ancestors 'none'"),
  });
  // API answers may carry decrypted personal data (a case's status, a reviewer's view, a shared picture): no
  // browser or proxy may keep a copy. A route that means to be cached says so itself.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.url.startsWith('/v1/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
  closeConnectionsWhileStopping(app);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const plugin of routePlugins) await app.register(plugin);
  return app;
}
