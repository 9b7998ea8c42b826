import { loadTlsCertificate } from '@tandem/dev-cert';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { PasswordHasher } from './accounts/password-hasher.js';
import { answerClientError } from './client-error-answer.js';
import type { Config, Environment } from './config.js';
import type { Database } from './db/database.js';
import { parseJsonBody } from './json-body-parser.js';
import adminGuard from './plugins/app/admin-guard.js';
import apiRollout from './plugins/app/api-rollout.js';
import authentication from './plugins/app/authentication.js';
import connectionHeartbeat from './plugins/app/connection-heartbeat.js';
import database from './plugins/app/database.js';
import deadline from './plugins/app/deadline.js';
import demoAccounts from './plugins/app/demo-accounts.js';
import errorHandler, { replyWithError } from './plugins/app/error-handler.js';
import eventGenerator from './plugins/app/event-generator.js';
import gracefulClose from './plugins/app/graceful-close.js';
import h1Listener from './plugins/app/h1-listener.js';
import heapSnapshots from './plugins/app/heap-snapshots.js';
import heartbeatPolicy from './plugins/app/heartbeat-policy.js';
import httpMetrics from './plugins/app/http-metrics.js';
import liveEvents from './plugins/app/live-events.js';
import liveSocket from './plugins/app/live-socket.js';
import loadShedding from './plugins/app/load-shedding.js';
import mutationOrigin from './plugins/app/mutation-origin.js';
import ordersPageCache from './plugins/app/orders-page-cache.js';
import ordersRepository, { type OrdersRepository } from './plugins/app/orders-repository.js';
import passwordHasher from './plugins/app/password-hasher.js';
import rateLimit from './plugins/app/rate-limit.js';
import reportsRepository from './plugins/app/reports-repository.js';
import requestId, { genReqId } from './plugins/app/request-id.js';
import serverTiming from './plugins/app/server-timing.js';
import sessionsRepository, { type SessionsRepository } from './plugins/app/sessions-repository.js';
import sharedState from './plugins/app/shared-state.js';
import shutdownDrain from './plugins/app/shutdown-drain.js';
import successEnvelope from './plugins/app/success-envelope.js';
import usersRepository from './plugins/app/users-repository.js';
import zodValidation from './plugins/app/zod-validation.js';
import cors from './plugins/external/cors.js';
import helmet from './plugins/external/helmet.js';
import metrics from './plugins/external/metrics.js';
import { RequestLogController } from './request-log-controller.js';
import auth from './routes/auth/index.js';
import eventGeneratorRoutes from './routes/event-generator/index.js';
import events from './routes/events/index.js';
import health from './routes/health/index.js';
import limits from './routes/limits/index.js';
import orders from './routes/orders/index.js';
import ordersV2 from './routes/orders-v2/index.js';
import reports from './routes/reports/index.js';
import rum from './routes/rum/index.js';
import versions from './routes/versions/index.js';
import ws from './routes/ws/index.js';

export interface AppDependencies {
  /** An already prepared database instead of the one the config names (tests). */
  database?: Database;
  /** A TLS pair instead of the configured/generated one. */
  tls?: { key: string; cert: string };
  /** An orders repository instead of the database's (the benchmarks serve a fixed page through the real routes). */
  ordersRepository?: OrdersRepository;
  /**
   * The environment `config` was loaded from (server.ts: process.env). A layer registered
   * on top of the API reads its own variables from it; the API itself reads only `config`.
   */
  env?: Environment;
  /** A password hasher instead of scrypt's defaults (tests: cheaper parameters, same code). */
  passwordHasher?: PasswordHasher;
  /** A sessions repository instead of the database's (the benchmarks answer a fixed session through the real routes). */
  sessionsRepository?: SessionsRepository;
}

/**
 * Builds the API from a config object and never listens: server.ts listens, tests listen
 * on port 0. Everything the app does is decided by `config`; what may change while it
 * runs is a setting a plugin decorates the app with (`app.deadlinePolicy`,
 * `app.heartbeatPolicy`, `app.corsPreflight`, …), the product's behaviour its default.
 */
export async function buildApp(config: Readonly<Config>, deps: AppDependencies = {}): Promise<FastifyInstance> {
  // #region labs
  // Before anything opens: a bad LAB_* variable is a ConfigError, like a bad variable of the API's.
  const labs = config.labsEnabled ? await import('./labs/index.js') : undefined;
  const labConfig = labs?.loadLabConfig(deps.env ?? {});
  // The scale-out lab's naive side keeps what replicas share in each process: chosen at start (labs/scale-out.ts).
  if (labs && labConfig) config = labs.scaleOutStartConfig(config, labConfig);
  // #endregion labs

  const tls =
    deps.tls ??
    (await loadTlsCertificate({
      certFile: config.tls.certFile,
      keyFile: config.tls.keyFile,
      devCertDir: config.tls.devCertDir,
    }));

  const app = Fastify({
    http2: true,
    https: { allowHTTP1: true, key: tls.key, cert: tls.cert },
    bodyLimit: config.bodyLimitBytes,
    logger: { level: config.logLevel },
    logController: new RequestLogController({ requestIdLogLabel: 'requestId' }),
    requestIdHeader: false,
    genReqId,
    // Behind N proxies, request.ip (logs, rate-limit keys) is the address N hops back in X-Forwarded-For.
    trustProxy: config.trustProxyHops > 0 ? (_address: string, hop: number) => hop < config.trustProxyHops : false,
    // A URL the router cannot decode never reaches a route or a hook: answer it with the
    // envelope and the security headers too.
    frameworkErrors: (error, request, reply) => {
      request.server.addSecurityHeaders(reply as unknown as FastifyReply);
      return replyWithError(error, request as unknown as FastifyRequest, reply as unknown as FastifyReply);
    },
    // Bytes Node's HTTP/1.1 parser refuses never become a request: answer them with the envelope too.
    clientErrorHandler(this: FastifyInstance, error, socket) {
      answerClientError(error, socket, this.log);
    },
    // Plugins and routes are typed against Fastify's default instance; the transport
    // (HTTP/2 over TLS with HTTP/1.1 fallback) changes nothing they use.
  }) as unknown as FastifyInstance;

  // Only JSON bodies: text/plain (accepted by default) is a 415, not a string to validate.
  // JSON is parsed as Fastify does, each refusal named (json-body-parser.ts).
  app.removeContentTypeParser('text/plain');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);

  // Order matters for hooks: the metrics clock, the id and the timing start before CORS can answer a preflight.
  await app.register(gracefulClose);
  await app.register(h1Listener, { port: config.h1Port, tls });
  await app.register(metrics, { enabled: config.metricsEnabled });
  if (config.metricsEnabled) await app.register(httpMetrics);
  await app.register(heartbeatPolicy, { live: config.live });
  await app.register(connectionHeartbeat);
  // Before CORS: a preflight, a 404 and an error envelope carry them too.
  await app.register(helmet, { enabled: config.securityHeaders });
  await app.register(requestId);
  // Before CORS and the limiter, so a preflight or a 429 under /api/v2 still names its version.
  await app.register(apiRollout, { initial: config.apiV2 });
  await app.register(serverTiming);
  await app.register(cors, { origins: config.corsOrigins });
  await app.register(errorHandler);
  await app.register(adminGuard, { token: config.adminToken });
  await app.register(zodValidation);
  await app.register(successEnvelope);
  // Before any route: it wraps each /api/ route's handler as the route is added.
  await app.register(deadline, { deadlines: config.deadlines });
  await app.register(rateLimit, { settings: config.rateLimit.settings, redisUrl: config.rateLimit.redisUrl });
  // After the limiter: its onRoute hook goes first, so a shed request is not charged.
  await app.register(loadShedding, { thresholds: config.loadShedding });
  await app.register(shutdownDrain);
  await app.register(mutationOrigin, { origins: config.corsOrigins });
  await app.register(database, { config: config.database, database: deps.database });
  // What replicas share (REDIS_URL): the live events' order, presence, the caches' invalidations.
  await app.register(sharedState, { config: config.sharedState });
  await app.register(passwordHasher, { hasher: deps.passwordHasher });
  await app.register(usersRepository);
  await app.register(sessionsRepository, {
    repository: deps.sessionsRepository,
    cache: config.sessionCache,
    invalidation: app.sharedState.sessionInvalidation,
  });
  await app.register(authentication, { ttlSeconds: config.sessionTtlSeconds });
  await app.register(demoAccounts, { password: config.demoPassword });
  await app.register(ordersPageCache, {
    ttlMs: config.ordersPageCacheTtlMs,
    invalidation: app.sharedState.ordersPageInvalidation,
  });
  await app.register(ordersRepository, { repository: deps.ordersRepository });
  await app.register(reportsRepository);
  await app.register(liveEvents, { live: config.live, relay: app.sharedState.eventRelay });
  await app.register(eventGenerator);
  await app.register(liveSocket, { corsOrigins: config.corsOrigins, presence: app.sharedState.presence });

  // #region labs
  // The workshop (LABS_ENABLED=true, `npm run demo`): one plugin that flips the settings above
  // between each lab's naive and tuned side and adds the lab routes and metrics. Off, its
  // module is not even loaded. `pnpm template:strip` removes this block.
  if (labs && labConfig) await app.register(labs.labLayer, { config: labConfig });
  // #endregion labs

  await app.register(health);
  await app.register(auth);
  await app.register(limits);
  await app.register(orders);
  await app.register(ordersV2);
  await app.register(reports);
  await app.register(rum);
  await app.register(events, { live: config.live });
  await app.register(ws);
  await app.register(eventGeneratorRoutes);
  await app.register(heapSnapshots, { dir: config.heapSnapshotDir });
  await app.register(versions);

  return app;
}
