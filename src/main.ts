import type { Agent as HttpsAgent } from 'node:https';
import { startWebPush } from './push/index.js';
import { collectDefaultMetrics } from 'prom-client';
import type { ChatAdapter, Platform } from '../adapters/types.js';
import { WEB_NO_SESSION } from '../adapters/web/send.js';
import { createDb, isPostgresUrl, sqlitePath, type Db, type DbHandle } from '../db/client.js';
import { describeDbError } from '../db/errors.js';
import { makeDataPrivate } from './private-files.js';
import { loadSecretBox } from './secrets-key.js';
import { alertAdmins } from '../flows/maintenance/channel-alert.js';
import type { ZcaClient } from '../adapters/zalo-personal/index.js';
import { createChannels, createLateWiring, webSignInUrl } from './channels/index.js';
import { remindMissingCalendar } from '../flows/maintenance/calendar-reminder.js';
import { remindAnnualReport } from '../flows/maintenance/annual-report-reminder.js';
import { createZaloOaChannel } from './channels/zalo-oa.js';
import { createZnsNotifier } from './outbox/zns-notify.js';
import { loadCalendar } from './import/calendar.js';
import { createDeadlineScheduler, createStepFirer } from './scheduler/deadlines/index.js';
import { createMaintenance } from './scheduler/maintenance.js';
import { createRedisWatch } from './scheduler/redis-watch.js';
import { createCalendarCache } from './time/calendar-cache.js';
import { createDeadlinePolicy } from './time/deadline-policy.js';
import { loadSampleNetwork } from './import/sample.js';
import { migrateDatabase } from './migrate.js';
import { reportUnreachable } from '../flows/delivery.js';
import type { Config } from './config.js';
import { createHttpServer } from './http/server.js';
import { createDashboard } from './dashboard/index.js';
import { createInboxRoutes } from './inbox/index.js';
import { createFigures } from './dashboard/figures.js';
import { createMetrics, registerDbStatements } from './http/metrics.js';
import { createHostPolicy } from './http/hosts.js';
import { createMetricsGuard } from './http/metrics-auth.js';
import { createDatabaseMonitor } from './health/database-monitor.js';
import { createInPlaceReconciliation, waitForDatabase } from './health/recovery.js';
import { createInboundProcessor, receiverOf } from './inbound/processor.js';
import { createScrubber, type Logger } from './logger.js';
import { createOutboxDispatcher } from './outbox/index.js';
import { createNoticeService } from './notices/service.js';
import { CHOICE_MENU_TTL_MS, recordChoiceMenu, withNumberedChoices } from '../flows/choices.js';
import { ANSWER_DRAFT_MINUTES } from '../flows/answer/confirm.js';
import type { FlowSettings } from '../flows/context.js';
import { pruneExpired } from '../db/repositories/housekeeping.js';
import { countOrgs } from '../db/repositories/directory.js';
import { startPrivateRedis } from './redis/private-server.js';
import { describeRedisTarget, type RedisTarget } from './scheduler/queues.js';
import type { Clock } from './time/clock.js';
import { createFiles, DOWNLOAD_PATH } from './files/index.js';
import { createFilePreparer } from './files/prepare.js';
import { createWebFileStore } from './files/web-files.js';
import type { FileDelivery } from './files/deliverable.js';
import { createDownloadRoute } from './files/download-route.js';

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
      'Zalo: set ZALO_OA_APP_ID, ZALO_OA_APP_SECRET and ZALO_OA_SECRET_KEY (Official Account), and/or',
      'ZALO_PERSONAL_ENABLED=true after `npm run liaison -- zalo login` (personal account).',
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
  /** The zca-js seam for the personal Zalo account (tests pass a fake); default the real one. */
  zcaClient?: ZcaClient;
  /** TLS agent for Web Push services (tests: trusts the local fake push endpoint). */
  webPushAgent?: HttpsAgent;
}

/**
 * Builds and starts everything in order: database (migrated) → Redis → adapters → dispatcher →
 * inbound pipeline → HTTP → receiving. Stops in the reverse order.
 */
export async function startApp(o: StartOptions): Promise<App> {
  const { config, logger, clock } = o;
  const role = o.role ?? 'all';
  // Before anything is opened or written: the database, Redis's files and exports are private.
  makeDataPrivate(config.dataDir, isPostgresUrl(config.databaseUrl) ? [] : [sqlitePath(config.databaseUrl)]);
  const db = o.db ?? createDb({
    url: config.databaseUrl,
    pgPreparedStatements: config.databasePreparedStatements,
    pgPoolSize: config.databasePoolSize,
    // An idle connection closed by the server (restart, failover, pooler timeout) is replaced on demand.
    onConnectionError: (err) => logger.warn({ error: describeDbError(err) }, 'database connection lost; it is replaced when next needed'),
  });
  // Aborted first thing on stop: nothing keeps waiting for a database that is away.
  const halt = new AbortController();
  const late = createLateWiring();
  // One key for every stored secret (Zalo OA tokens, the VAPID private key, the personal Zalo session).
  const box = loadSecretBox(config.secretsKey);
  const adapters = createChannels({ config, logger, db: db.db, clock, late, box, ...(o.zcaClient ? { zcaClient: o.zcaClient } : {}) });
  if (adapters.size === 0 && !config.zaloOa) {
    if (!o.db) await db.close();
    throw new NoChannelError();
  }
  await waitForDatabase(db, logger);
  const migrated = await migrateDatabase(db.db, clock.now());
  logger.info({ dialect: db.dialect, applied: migrated.applied }, 'database ready');
  if (migrated.calendars.length > 0) logger.info({ years: migrated.calendars }, 'imported the shipped official calendars');
  // Built after the database: its tokens live there. The alert is queued like any flow's message.
  const zaloOa = config.zaloOa ? await createZaloOaChannel({
    config: config.zaloOa, db: db.db, logger: logger.child({ adapter: 'zalo_oa' }), clock, box,
    onAuthFailure: async (reason) => late.outbox.peek()?.alert({ platform: 'zalo_oa', action: 'channel.auth_failed', reason, text: (t) => t.replyWindow.authAlert('zalo_oa') }),
    onSetupProblem: async (p) => late.outbox.peek()?.alert({ platform: 'zalo_oa', action: 'channel.setup_error', reason: String(p.code), oncePerDay: true, text: (t) => t.zaloOa.setupAlert(p.code, p.message) }),
    siteRootFree: !adapters.has('web'),
  }) : undefined;
  if (zaloOa) adapters.set('zalo_oa', zaloOa);
  const sampleLoaded = config.loadSampleIfEmpty && (await loadSampleIfEmpty(db.db, clock.now()));
  if (sampleLoaded) logger.info('directory was empty: loaded the sample network');
  const push = await startWebPush({
    config, db: db.db, logger: logger.child({ part: 'push' }), clock, box, sends: role !== 'web', ...(o.webPushAgent ? { agent: o.webPushAgent } : {}),
  });

  const privateRedis = o.redis || config.redisUrl ? undefined : await startPrivateRedis({ bin: config.redisServerBin, dataDir: config.dataDir, logger });
  const redis: RedisTarget = o.redis ?? (config.redisUrl ? { url: config.redisUrl } : privateRedis!.target);
  logger.info({ redis: describeRedisTarget(redis), private: Boolean(privateRedis) }, 'redis ready');

  const files = createFiles(config.files, db.db, logger.child({ part: 'files' }), () => clock.now());
  late.webFiles.set(createWebFileStore({ db: db.db, files: files.service, logger: logger.child({ part: 'files' }), now: () => clock.now() }));
  const swept = await files.service.sweepTemporary();
  if (swept > 0) logger.info({ swept }, 'files: removed partial files a stopped process left');
  const fileDelivery: FileDelivery = {
    toOutbound: (a) => files.service.toOutbound(a),
    link: (attachmentId, personId, expiresAtS) => {
      const base = config.publicUrl ?? late.filesBase.peek();
      return base ? `${base}${DOWNLOAD_PATH}?${files.signer.sign({ attachmentId, personId, expiresAtS })}` : undefined;
    },
    linkTtlMs: config.files.linkTtlMs,
  };
  const metrics = createMetrics();
  if (config.metricsEnabled) collectDefaultMetrics({ register: metrics.registry });
  registerDbStatements(metrics.registry, () => db.statements(), db.commits && (() => db.commits!()));
  const dispatcher = createOutboxDispatcher({
    db: db.db, redis, prefix: config.queuePrefix, adapters, logger: logger.child({ part: 'outbox' }), clock,
    concurrency: config.outbox.concurrency, maxAttempts: config.outbox.maxAttempts, backoffMaxMs: config.outbox.backoffMaxMs,
    credentialsRecheckMs: config.outbox.credentialsRecheckMs,
    leaseMs: config.delivery.outboxLeaseMs, sweepMs: config.delivery.outboxSweepMs,
    digest: { threshold: config.delivery.outboxDigestThreshold },
    metrics, scrub: createScrubber(config.secrets), defaultLocale: config.defaultLocale,
    files: fileDelivery,
    ...(zaloOa && config.zaloOa?.znsTemplateId ? {
      onHeld: createZnsNotifier({
        db: db.db, templateId: config.zaloOa.znsTemplateId, send: (r) => zaloOa.sendTemplate(r), now: () => clock.now(),
        logger: logger.child({ part: 'zns' }), scrub: createScrubber(config.secrets),
      }),
    } : {}),
    // Nobody is signed in as that web chat (signed out, or idle too long): the message waits in
    // its timeline for the next sign-in, and a chat the person links later gets it too, so this
    // is no cause to alert the coordinators.
    onUnreachable: async (row, reason, tx) => (reason === WEB_NO_SESSION ? [] : reportUnreachable(tx, row, reason, clock.now(), config.defaultLocale)),
  });
  late.outbox.set({
    enqueue: (ids) => dispatcher.enqueue(ids),
    alert: async (a) => dispatcher.enqueue(await db.db.transaction().execute((tx) => alertAdmins(tx, a, clock.now(), config.defaultLocale))),
  });
  // An imported calendar reaches running processes within a minute (and at once in this one).
  const calendar = createCalendarCache((via?: Db) => loadCalendar(via ?? db.db), CALENDAR_TTL_MS);
  const policy = createDeadlinePolicy({ db: db.db, loadCalendar: calendar });
  const deadlines = createDeadlineScheduler({
    db: db.db, redis, prefix: config.queuePrefix, logger: logger.child({ part: 'deadlines' }), clock,
    settings: config.deadlines, loadCalendar: () => calendar(),
    onFire: createStepFirer(db.db, clock, config.defaultLocale, policy),
    enqueueOutbox: (ids) => dispatcher.enqueue(ids),
  });
  const maintenance = createMaintenance({
    redis, prefix: config.queuePrefix, logger: logger.child({ part: 'maintenance' }),
    calendarCheck: () => db.db.transaction().execute(async (tx) => [
      ...await remindMissingCalendar(tx, clock.now(), config.defaultLocale), ...await remindAnnualReport(tx, clock.now(), config.defaultLocale),
    ]),
    prune: async () => {
      logger.info({ pruned: await pruneExpired(db.db, clock.now(), RETENTION) }, 'pruned expired records');
      // The figures' marked days are recomputed by whoever reads them; nightly too, so the marks
      // never pile up in a deployment where nobody opens the dashboard.
      const figures = createFigures({ db: db.db, loadCalendar: () => calendar(), now: () => clock.now() });
      let days = 0;
      for (let round = 0, r = await figures.refresh(); round < 100 && r.days > 0 && !r.busy; round += 1, r = await figures.refresh()) days += r.days;
      logger.info({ days }, 'figures brought up to date');
    },
    enqueueOutbox: (ids) => dispatcher.enqueue(ids),
  });
  const notices = createNoticeService({
    db: db.db, redis, prefix: config.queuePrefix, adapters, logger: logger.child({ part: 'notices' }), clock,
    settings: config.notices, defaultLocale: config.defaultLocale, files: fileDelivery,
    // One pace per bot: every process sending as this bot shares it (the bot id is not secret).
    accountOf: (platform) => (platform === 'telegram' && config.telegram ? `telegram-${config.telegram.token.split(':')[0]}` : platform),
    enqueueOutbox: (ids) => dispatcher.enqueue(ids),
    // Zalo has no buttons: "1. Đã nhận", and a reply "1" presses it through the normal button handler.
    numberedChoices: { render: withNumberedChoices, record: recordChoiceMenu },
  });
  const reconcileInPlace = createInPlaceReconciliation(logger, async () => {
    const reconciled = await dispatcher.reconcile();
    const planned = await deadlines.reconcile();
    const recovered = await inbound.sweep();
    const broadcasts = await notices.reconcile();
    return { reconciled, planned, recovered, broadcasts };
  });
  const dbMonitor = createDatabaseMonitor({
    ping: (ms) => db.ping(ms), logger: logger.child({ part: 'database' }), now: () => clock.now(),
    onRecovered: () => reconcileInPlace('the database answers again'),
  });
  const flowSettings: FlowSettings = {
    maxTextChars: config.maxQuestionChars, defaultLocale: config.defaultLocale, deadlines: policy,
    answerCorrectionMinutes: config.answerCorrectionMinutes,
    replyWindowMs: (platform) => adapters.get(platform)?.capabilities.replyWindowMs,
    capabilities: (platform) => adapters.get(platform)?.capabilities,
    webSignInUrl: webSignInUrl(late),
    fileLimits: {
      maxFileMb: Math.round(config.files.limits.maxFileBytes / 1024 / 1024), maxMessageMb: Math.round(config.files.limits.maxMessageBytes / 1024 / 1024),
      maxFiles: config.files.limits.maxFilesPerMessage,
    },
  };
  const inbound = createInboundProcessor({
    db: db.db, storeDb: db.priority, clock, logger: logger.child({ part: 'inbound' }), signal: halt.signal,
    onDatabaseError: (err) => dbMonitor.suspect(err),
    onCommitUncertain: () => { void reconcileInPlace('a commit lost its connection'); },
    settings: flowSettings,
    prepare: createFilePreparer({ db: db.db, files: files.service, adapters, logger: logger.child({ part: 'files' }) }),
    enqueueOutbox: (ids, chats) => dispatcher.enqueue(ids, chats),
    syncDeadlines: (ids, created) => deadlines.sync(ids, created),
    startNotices: (ids) => notices.startNotices(ids),
    onEvent: (platform, kind, duplicate) => {
      metrics.inboundEventsTotal.inc({ platform, kind });
      if (duplicate) metrics.inboundDuplicatesTotal.inc({ platform });
    },
  });

  if (role !== 'web') {
    await dispatcher.start();
    await deadlines.start();
    await maintenance.start();
    await notices.start();
  }
  const reconciled = await dispatcher.reconcile();
  const planned = await deadlines.reconcile();
  const recovered = await inbound.recover();
  const broadcasts = await notices.reconcile();
  logger.info({ reconciled, planned, recovered, broadcasts }, 'reconciled undelivered messages, deadline jobs and unprocessed events');
  // Redis losing its data while we run (FLUSHALL, a failover to an empty replica) gets the same reconcile, in place.
  const redisWatch = createRedisWatch({
    redis, prefix: config.queuePrefix, logger, intervalMs: config.delivery.redisCheckMs,
    reconcile: async () => {
      if (role !== 'web') await maintenance.reconcile();
      return [await dispatcher.reconcile(), await deadlines.reconcile(), await notices.reconcile()];
    },
  });
  await redisWatch.start();
  inbound.start();
  dbMonitor.start();

  // The leaders' dashboard reads the web channel's sessions: served where the web page is.
  const dashboard = role !== 'worker' && adapters.has('web') ? createDashboard({
    db: db.db, dbSource: db.source, clock, logger: logger.child({ part: 'dashboard' }), loadCalendar: () => calendar(),
    sessionIdleMs: config.web.sessionIdleMs, sessionMaxMs: config.web.sessionMaxMs,
    actions: {
      settings: flowSettings, allowedOrigins: config.publicUrl ? [new URL(config.publicUrl).origin] : [], allowedHost: createHostPolicy(config.http.allowedHosts),
      // As after an inbound event's commit; each is also repaired by its reconciliation.
      afterCommit: async (o) => {
        const logged = (what: string) => (err: unknown) => { logger.error({ err }, what); };
        if (o.outboxIds.length > 0) await dispatcher.enqueue(o.outboxIds).catch(logged('dashboard form: could not queue its messages; the reconciliation will'));
        if (o.deadlineIds.length > 0) await deadlines.sync(o.deadlineIds).catch(logged('dashboard form: deadline sync failed'));
        if (o.noticeIds?.length) await notices.startNotices(o.noticeIds).catch(logged('dashboard form: notice start failed'));
      },
    },
  }) : undefined;
  // The web page's inbox and threads (issue #14) read the same sessions, where the page is served.
  const inboxRoutes = role !== 'worker' && adapters.has('web') ? createInboxRoutes({
    db: db.db, clock, logger: logger.child({ part: 'inbox' }), loadCalendar: () => calendar(),
    sessionIdleMs: config.web.sessionIdleMs, sessionMaxMs: config.web.sessionMaxMs,
  }) : [];
  const http = role === 'worker' ? undefined : createHttpServer({
    host: config.http.host, port: config.http.port, logger: logger.child({ part: 'http' }),
    webhooks: [...adapters.values()].flatMap((a) => (a.webhook ? [a.webhook] : [])),
    routes: [...[...adapters.values()].flatMap((a) => a.routes ?? []), createDownloadRoute({ db: db.db, files: files.service, signer: files.signer, logger: logger.child({ part: 'files' }), now: () => clock.now() }), ...(dashboard?.routes ?? []), ...inboxRoutes],
    ...(config.metricsEnabled ? { metrics: metrics.registry, metricsGuard: createMetricsGuard(config.metricsToken) } : {}),
    allowedHost: createHostPolicy(config.http.allowedHosts),
    health: async () => {
      const database = await dbMonitor.check();
      return { ok: database.available, details: { role, dialect: db.dialect, channels: [...adapters.keys()], database: database.available ? 'available' : 'unavailable', databaseSince: database.since } };
    },
  });
  const bound = http ? await http.start() : undefined;
  if (bound && adapters.has('web')) late.webBase.set(config.publicUrl ?? `http://${displayHost(config.http.host)}:${bound.port}`);
  if (bound) late.filesBase.set(config.publicUrl ?? `http://${displayHost(config.http.host)}:${bound.port}`);
  if (role !== 'worker') {
    // The personal Zalo account's socket never delivers a message twice: its events wait in memory
    // (in order) until the database takes them. Webhooks and polling get an error instead, and
    // their platform delivers again.
    for (const adapter of adapters.values()) {
      await adapter.start(receiverOf(adapter, inbound));
    }
  }

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= (async () => {
    const t0 = Date.now();
    const step = async (name: string, fn: () => Promise<unknown>) => {
      await fn().catch((err: unknown) => logger.warn({ err, step: name }, 'stop step failed'));
      logger.debug({ step: name, ms: Date.now() - t0 }, 'stop step done');
    };
    logger.info('stopping');
    halt.abort();
    dbMonitor.stop();
    if (role !== 'worker') await step('adapters', () => Promise.all([...adapters.values()].map((a) => a.stop())));
    dashboard?.close();
    await step('http', async () => http?.close());
    await step('redis-watch', () => redisWatch.close());
    await step('inbound', () => inbound.drain());
    await step('maintenance', () => maintenance.close());
    await step('notices', () => notices.close());
    await step('deadlines', () => deadlines.close());
    await step('push', () => push.stop());
    await step('dispatcher', () => dispatcher.close());
    if (!o.db) await step('database', () => db.close());
    await step('redis', async () => privateRedis?.stop());
    logger.info({ ms: Date.now() - t0 }, 'stopped');
  })());

  return { ...(bound ? { httpPort: bound.port } : {}), sampleLoaded, adapters, db, stop };
}

const CALENDAR_TTL_MS = 60_000;

/** Telegram can redeliver an update for days after an outage; 30 days covers any platform's retries. */
const RETENTION = {
  choiceMenusMs: CHOICE_MENU_TTL_MS, linkCodesMs: 24 * 3_600_000, inboundEventsMs: 30 * 24 * 3_600_000, webMessagesMs: 30 * 24 * 3_600_000,
  answerDraftsMs: ANSWER_DRAFT_MINUTES * 60_000, inboxChangesMs: 24 * 3_600_000,
};

async function loadSampleIfEmpty(db: Db, now: Date): Promise<boolean> {
  if ((await countOrgs(db)) > 0) return false;
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
