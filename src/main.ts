import { collectDefaultMetrics } from 'prom-client';
import type { ChatAdapter, Platform } from '../adapters/types.js';
import { createTelegramAdapter } from '../adapters/telegram/index.js';
import { createWebAdapter } from '../adapters/web/index.js';
import { WEB_NO_SESSION } from '../adapters/web/send.js';
import { createDb, isPostgresUrl, type Db, type DbHandle } from '../db/client.js';
import { remindMissingCalendar } from '../flows/maintenance/calendar-reminder.js';
import { loadCalendar } from './import/calendar.js';
import { importShippedCalendars } from './import/calendar-shipped.js';
import { createDeadlineScheduler, createStepFirer } from './scheduler/deadlines/index.js';
import { createMaintenance } from './scheduler/maintenance.js';
import { repoPath } from './paths.js';
import { createCalendarCache } from './time/calendar-cache.js';
import { createDeadlinePolicy } from './time/deadline-policy.js';
import { loadSampleNetwork } from './import/sample.js';
import { migrateToLatest } from '../db/migrate.js';
import { reportUnreachable } from '../flows/delivery.js';
import { redeemWebLoginCode, sendWebLoginCodeToChat } from '../flows/web-login.js';
import { createWebStore } from '../db/repositories/web.js';
import type { Config } from './config.js';
import { createHttpServer } from './http/server.js';
import { createMetrics } from './http/metrics.js';
import { createInboundProcessor } from './inbound/processor.js';
import { createScrubber, type Logger } from './logger.js';
import { createOutboxDispatcher } from './outbox/index.js';
import { startPrivateRedis } from './redis/private-server.js';
import { describeRedisTarget, type RedisTarget } from './scheduler/queues.js';
import type { Clock } from './time/clock.js';

/** Which parts of the bot this process runs (`liaison start --role`). */
export type ProcessRole = 'all' | 'web' | 'worker';

/** Thrown when `start` is asked to run with no chat channel configured. */
export class NoChannelError extends Error {
  constructor() {
    super([
      'Chưa cấu hình kênh trò chuyện nào, nên bot không có ai để trò chuyện.',
      'No chat channel is configured, so the bot has nobody to talk to.',
      'Leave WEB_ENABLED=true (the default) for the chat page at /web, and/or',
      'set TELEGRAM_BOT_TOKEN (from @BotFather) in the environment or in .env, for example:',
      '  TELEGRAM_BOT_TOKEN=123456:ABC… npm start',
      'To try the bot against a local Bot API server, also set TELEGRAM_API_ROOT=http://127.0.0.1:<port>.',
    ].join('\n'));
    this.name = 'NoChannelError';
  }
}

/** A running bot. */
export interface App {
  /** True when this start found an empty directory and loaded the sample network. */
  sampleLoaded: boolean;
  /** The HTTP port actually bound (webhooks, /healthz, /metrics); undefined for workers. */
  httpPort?: number;
  adapters: ReadonlyMap<Platform, ChatAdapter>;
  db: DbHandle;
  /** Stops receiving, finishes in-flight work, closes queues, the database and a private Redis. */
  stop(): Promise<void>;
}

/** Dependencies the composition root takes from outside (tests pass their own). */
export interface StartOptions {
  config: Readonly<Config>;
  logger: Logger;
  clock: Clock;
  role?: ProcessRole;
  /** Use this database handle instead of opening `config.databaseUrl` (tests). */
  db?: DbHandle;
  /** Use this Redis instead of `config.redisUrl` or a private server (tests). */
  redis?: RedisTarget;
}

/** What the adapters need that exists only later in start-up: the page's address, the dispatcher. */
interface LateWiring {
  /** The web page's base URL once the HTTP server is bound (HTTP_PORT=0 picks the port). */
  webBase?: string;
  enqueueOutbox(ids: number[]): Promise<void>;
}

const webSignInUrl = (late: LateWiring) => (code: string) => (late.webBase ? `${late.webBase}/web?code=${code}` : undefined);

function createAdapters(config: Readonly<Config>, logger: Logger, db: Db, clock: Clock, late: LateWiring): Map<Platform, ChatAdapter> {
  const adapters = new Map<Platform, ChatAdapter>();
  if (config.web.enabled) {
    adapters.set('web', createWebAdapter({
      logger: logger.child({ adapter: 'web' }), pageDir: repoPath('adapters', 'web', 'page'),
      store: createWebStore(db), now: () => clock.now().getTime(),
      redeemCode: (code) => db.transaction().execute((tx) => redeemWebLoginCode(tx, code, clock.now())),
      requestCode: async (who) => late.enqueueOutbox(await db.transaction().execute((tx) => sendWebLoginCodeToChat(tx, who, clock.now(), {
        defaultLocale: config.defaultLocale, webSignInUrl: webSignInUrl(late),
      }))),
      idleTimeoutMs: config.web.sessionIdleMs, maxAgeMs: config.web.sessionMaxMs, trustProxy: config.http.trustProxy,
      secureCookies: config.publicUrl?.startsWith('https://') ?? false,
      ...(config.publicUrl ? { allowedOrigins: [new URL(config.publicUrl).origin] } : {}),
    }));
  }
  if (config.telegram) {
    adapters.set('telegram', createTelegramAdapter({
      token: config.telegram.token, apiRoot: config.telegram.apiRoot, mode: config.telegram.mode,
      ...(config.telegram.webhookSecret ? { webhookSecret: config.telegram.webhookSecret } : {}),
      ...(config.publicUrl ? { webhookUrl: `${config.publicUrl}/webhooks/telegram` } : {}),
      logger: logger.child({ adapter: 'telegram' }),
    }));
  }
  return adapters;
}

/**
 * Builds and starts everything in order: database (migrated) → Redis → adapters → dispatcher →
 * inbound pipeline → HTTP → receiving. Stops in the reverse order.
 */
export async function startApp(o: StartOptions): Promise<App> {
  const { config, logger, clock } = o;
  const role = o.role ?? 'all';
  const db = o.db ?? createDb({ url: config.databaseUrl });
  const late: LateWiring = { enqueueOutbox: async () => undefined };
  const adapters = createAdapters(config, logger, db.db, clock, late);
  if (adapters.size === 0) {
    if (!o.db) await db.close();
    throw new NoChannelError();
  }
  const migrated = await migrateToLatest(db.db);
  logger.info({ dialect: db.dialect, applied: migrated.applied }, 'database ready');
  const sampleLoaded = config.loadSampleIfEmpty && (await loadSampleIfEmpty(db.db, clock.now()));
  if (sampleLoaded) logger.info('directory was empty: loaded the sample network');
  const calendars = await importShippedCalendars(db.db, clock.now());
  if (calendars.length > 0) logger.info({ years: calendars }, 'imported the shipped official calendars');

  const privateRedis = o.redis || config.redisUrl ? undefined : await startPrivateRedis({ bin: config.redisServerBin, dataDir: config.dataDir, logger });
  const redis: RedisTarget = o.redis ?? (config.redisUrl ? { url: config.redisUrl } : privateRedis!.target);
  logger.info({ redis: describeRedisTarget(redis), private: Boolean(privateRedis) }, 'redis ready');

  const metrics = createMetrics();
  if (config.metricsEnabled) collectDefaultMetrics({ register: metrics.registry });
  const dispatcher = createOutboxDispatcher({
    db: db.db, redis, prefix: config.queuePrefix, adapters, logger: logger.child({ part: 'outbox' }), clock,
    concurrency: config.outbox.concurrency, maxAttempts: config.outbox.maxAttempts, backoffMaxMs: config.outbox.backoffMaxMs,
    metrics, scrub: createScrubber(config.secrets),
    onUnreachable: async (row, reason) => {
      // Nobody is signed in as that web chat (signed out, or idle too long): the message waits in
      // its timeline for the next sign-in, and a chat the person links later gets it too, so this
      // is no cause to alert the coordinators.
      if (reason === WEB_NO_SESSION) return;
      const ids = await db.db.transaction().execute((tx) => reportUnreachable(tx, row, reason, clock.now(), config.defaultLocale));
      await dispatcher.enqueue(ids);
    },
  });
  late.enqueueOutbox = (ids) => dispatcher.enqueue(ids);
  // An imported calendar reaches running processes within a minute (and at once in this one).
  const calendar = createCalendarCache((via?: Db) => loadCalendar(via ?? db.db), CALENDAR_TTL_MS);
  const policy = createDeadlinePolicy({ db: db.db, loadCalendar: calendar });
  const deadlines = createDeadlineScheduler({
    db: db.db, redis, prefix: config.queuePrefix, logger: logger.child({ part: 'deadlines' }), clock,
    settings: config.deadlines, loadCalendar: () => calendar(),
    onFire: createStepFirer(db.db, clock, config.defaultLocale),
    enqueueOutbox: (ids) => dispatcher.enqueue(ids),
  });
  const maintenance = createMaintenance({
    redis, prefix: config.queuePrefix, logger: logger.child({ part: 'maintenance' }),
    calendarCheck: () => db.db.transaction().execute((tx) => remindMissingCalendar(tx, clock.now(), config.defaultLocale)),
    enqueueOutbox: (ids) => dispatcher.enqueue(ids),
  });
  const inbound = createInboundProcessor({
    db: db.db, clock, logger: logger.child({ part: 'inbound' }),
    settings: {
      maxTextChars: config.maxQuestionChars, defaultLocale: config.defaultLocale, deadlines: policy,
      webSignInUrl: webSignInUrl(late),
    },
    enqueueOutbox: (ids) => dispatcher.enqueue(ids),
    syncDeadlines: (ids) => deadlines.sync(ids),
    onEvent: (platform, kind, duplicate) => {
      metrics.inboundEventsTotal.inc({ platform, kind });
      if (duplicate) metrics.inboundDuplicatesTotal.inc({ platform });
    },
  });

  if (role !== 'web') {
    await dispatcher.start();
    await deadlines.start();
    await maintenance.start();
  }
  const reconciled = await dispatcher.reconcile();
  const planned = await deadlines.reconcile();
  const recovered = await inbound.recover();
  logger.info({ reconciled, planned, recovered }, 'reconciled undelivered messages, deadline jobs and unprocessed events');

  const http = role === 'worker' ? undefined : createHttpServer({
    host: config.http.host, port: config.http.port, logger: logger.child({ part: 'http' }),
    webhooks: [...adapters.values()].flatMap((a) => (a.webhook ? [a.webhook] : [])),
    routes: [...adapters.values()].flatMap((a) => a.routes ?? []),
    ...(config.metricsEnabled ? { metrics: metrics.registry } : {}),
    health: async () => ({ ok: true, details: { role, dialect: db.dialect, channels: [...adapters.keys()] } }),
  });
  const bound = http ? await http.start() : undefined;
  if (bound && adapters.has('web')) late.webBase = config.publicUrl ?? `http://${displayHost(config.http.host)}:${bound.port}`;
  if (role !== 'worker') {
    for (const adapter of adapters.values()) await adapter.start((event) => inbound.accept(event));
  }

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= (async () => {
    const t0 = Date.now();
    const step = async (name: string, fn: () => Promise<unknown>) => {
      await fn().catch((err: unknown) => logger.warn({ err, step: name }, 'stop step failed'));
      logger.debug({ step: name, ms: Date.now() - t0 }, 'stop step done');
    };
    logger.info('stopping');
    if (role !== 'worker') await step('adapters', () => Promise.all([...adapters.values()].map((a) => a.stop())));
    await step('http', async () => http?.close());
    await step('inbound', () => inbound.drain());
    await step('maintenance', () => maintenance.close());
    await step('deadlines', () => deadlines.close());
    await step('dispatcher', () => dispatcher.close());
    if (!o.db) await step('database', () => db.close());
    await step('redis', async () => privateRedis?.stop());
    logger.info({ ms: Date.now() - t0 }, 'stopped');
  })());

  return { ...(bound ? { httpPort: bound.port } : {}), sampleLoaded, adapters, db, stop };
}

const CALENDAR_TTL_MS = 60_000;

async function loadSampleIfEmpty(db: Db, now: Date): Promise<boolean> {
  const row = await db.selectFrom('orgs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(row.n) > 0) return false;
  await loadSampleNetwork(db, now);
  return true;
}

/** A host a browser on this machine can open (`0.0.0.0` and `::` listen everywhere, including loopback). */
export function displayHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

/** One line for the operator saying where things are (no secrets). */
export function describeDeployment(config: Readonly<Config>): string {
  const database = isPostgresUrl(config.databaseUrl) ? 'PostgreSQL' : `SQLite (${config.databaseUrl})`;
  const redis = config.redisUrl ? 'Redis at REDIS_URL' : `private redis-server under ${config.dataDir}/redis`;
  return `database: ${database}; queues: ${redis}; HTTP: ${config.http.host}:${config.http.port}`;
}
