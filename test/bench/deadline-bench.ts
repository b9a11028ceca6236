/**
 * Deadline scheduler benchmarks (issues 3 and 12): scheduling 100,000 open inquiries (10,000 in
 * quick mode) from an empty Redis, the Redis memory their jobs take, reconciliation after a
 * FLUSHALL (of a private redis-server started for it, never the shared one), the cost of one
 * `sync`, and the lateness (due → sent through the real outbox dispatcher and telegram adapter to
 * a fake Bot API) of 1,000 reminders due in the same minute. Not a vitest file:
 * `test/bench/run.ts` calls {@link benchDeadlines}.
 */
import { performance } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createTelegramAdapter } from '../../adapters/telegram/index.js';
import type { Db } from '../../db/client.js';
import type { DeadlineClass } from '../../db/schema.js';
import { createLogger } from '../../src/logger.js';
import { createOutboxDispatcher } from '../../src/outbox/index.js';
import {
  createDeadlineScheduler, createStepFirer, defaultDeadlineSettings, type DeadlineSchedulerOptions,
} from '../../src/scheduler/deadlines/index.js';
import { createWorkCalendar } from '../../src/time/calendar.js';
import { systemClock } from '../../src/time/clock.js';
import { computeDue } from '../../src/time/periods.js';
import { selectRule } from '../../src/time/rules.js';
import { createFakeTelegram } from '../fakes/telegram-bot-api.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { linkChat, seedMiniNetwork } from '../helpers/directory-fixture.js';
import { startTestRedis } from '../helpers/private-redis.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { round, sleep, summarize } from './bench-helpers.js';

/** One row of the printed table. */
export interface DeadlineBenchRow {
  name: string;
  value: number;
  unit: string;
  bound: string;
  ok?: boolean;
}

const HOUR_MS = 3_600_000;
/** Issue 12's bounds, per 100,000 open inquiries (scaled down for a quick run's 10,000). */
const MEMORY_BOUND_MB_PER_100K = 100;
const RECONCILE_BOUND_S_PER_100K = 15;
const LATENESS_P99_BOUND_MS = 1000;
const INSERT_BATCH = 400;
const logger = createLogger({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' });
const calendar = createWorkCalendar({ official: [], officialYears: [] });

/** A mix of classes like a real network's: mostly routine questions, some 24-hour ones, a few petitions. */
function classOf(i: number): DeadlineClass {
  const r = i % 20;
  return r < 16 ? 'routine' : r < 19 ? 'incident' : 'forwarded_petition';
}

/** The inquiry row for bench inquiry `i`, received at `receivedAt`. */
function inquiryRow(i: number, receivedAt: Date, cls: DeadlineClass, base: { orgId: number; reporterId: number; identityId: number; handlerId: number | null }) {
  const rule = selectRule(receivedAt, cls);
  const due = computeDue(receivedAt, rule.amount, rule.unit, calendar).toISOString();
  const iso = receivedAt.toISOString();
  return {
    code: `B-${i}`, reporter_person_id: base.reporterId, reporter_identity_id: base.identityId, origin_chat_id: 'bench',
    origin_message_id: String(i), topic_id: null, org_id: base.orgId, suggested_org_id: base.orgId,
    status: base.handlerId === null ? 'assigned' as const : 'acknowledged' as const,
    question: `Câu hỏi thử nghiệm số ${i} về tình hình dịch bệnh trên địa bàn?`, received_at: iso,
    deadline_class: cls, rule_id: rule.id, legal_basis: rule.legalBasis, due_at: due, original_due_at: due,
    deadline_counting: rule.counting, deadline_seq: 1, urgent_requested: 0, merged_into_id: null, decline_ground: null,
    decline_reason: null, reject_reason: null, handler_person_id: base.handlerId, acknowledged_at: null,
    first_response_at: null, answered_at: null, closed_at: null, resume_status: null, rating: null, rated_at: null,
    created_at: iso, updated_at: iso,
  };
}

type Row = ReturnType<typeof inquiryRow>;

async function insertAll(db: Db, count: number, make: (i: number) => Row): Promise<void> {
  for (let start = 0; start < count; start += INSERT_BATCH) {
    const rows: Row[] = [];
    for (let i = start; i < Math.min(count, start + INSERT_BATCH); i += 1) rows.push(make(i));
    await db.insertInto('inquiries').values(rows).execute();
  }
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

function schedulerOptions(t: TestDb, prefix: string, extra: Partial<DeadlineSchedulerOptions> = {}, redisUrl = TEST_REDIS_URL): DeadlineSchedulerOptions {
  return {
    db: t.db, redis: { url: redisUrl }, prefix, logger, clock: systemClock, settings: defaultDeadlineSettings(),
    loadCalendar: async () => calendar, onFire: async () => [], enqueueOutbox: async () => undefined, ...extra,
  };
}

const seconds = (ms: number) => round(ms / 1000, 2);

/** Scheduling, memory, reconciliation after a flush and single-inquiry sync, with `count` open inquiries. */
async function benchScheduling(count: number): Promise<DeadlineBenchRow[]> {
  const t = await createTestDb('sqlite');
  const prefix = uniquePrefix('bench-deadlines');
  // A private server: the memory figure is ours alone, and FLUSHALL touches nobody else's data.
  const server = await startTestRedis();
  const redis = new Redis(server.url);
  const scheduler = createDeadlineScheduler(schedulerOptions(t, prefix, {}, server.url));
  const queue = new Queue('deadlines', { connection: { url: server.url }, prefix });
  try {
    const net = await seedMiniNetwork(t.db);
    const base = { orgId: net.healthId, reporterId: net.reporterId, identityId: await linkChat(t.db, net.reporterId, 'telegram', 'bench'), handlerId: null };
    const now = Date.now();
    // Received over the last 36 hours, so some steps are past (caught up) and most are to come.
    await insertAll(t.db, count, (i) => inquiryRow(i, new Date(now - ((i * 7919) % 36) * HOUR_MS - (i % 3600) * 1000), classOf(i), base));
    const label = count.toLocaleString('en-US');
    const memoryBefore = await usedMemory(redis);
    let started = performance.now();
    await scheduler.reconcile();
    const scheduleMs = performance.now() - started;
    const memoryBytes = (await usedMemory(redis)) - memoryBefore;
    const jobs = Object.values(await queue.getJobCounts('delayed', 'waiting')).reduce((a, b) => a + b, 0);
    await redis.flushall();
    started = performance.now();
    await scheduler.reconcile();
    const reconcileMs = performance.now() - started;
    const syncMs: number[] = [];
    for (let id = 1; id <= 200; id += 1) {
      const t0 = performance.now();
      await scheduler.sync([id * Math.floor(count / 200)]);
      syncMs.push(performance.now() - t0);
    }
    const sync = summarize(syncMs);
    const memoryBound = (MEMORY_BOUND_MB_PER_100K * count) / 100_000;
    const reconcileBound = (RECONCILE_BOUND_S_PER_100K * count) / 100_000;
    const memoryMb = round(memoryBytes / 1_048_576, 1);
    return [
      { name: `deadlines: schedule ${label} open inquiries from empty Redis (${jobs.toLocaleString('en-US')} jobs)`, value: seconds(scheduleMs), unit: 's', bound: 'report' },
      { name: `deadlines: Redis memory of ${label} inquiries' jobs (${round(memoryBytes / jobs, 0)} B/job)`, value: memoryMb, unit: 'MB', bound: `≤ ${memoryBound} MB`, ok: memoryMb <= memoryBound },
      { name: `deadlines: reconcile ${label} inquiries after FLUSHALL (private Redis)`, value: seconds(reconcileMs), unit: 's', bound: `≤ ${reconcileBound} s`, ok: reconcileMs <= reconcileBound * 1000 },
      { name: 'deadlines: sync one inquiry after a change, p99', value: round(sync.p99, 1), unit: 'ms', bound: 'report' },
    ];
  } finally {
    await scheduler.close();
    await queue.close();
    redis.disconnect();
    await server.stop();
    await t.drop();
  }
}

/**
 * `count` reminders (the 50% step of 24-hour deadlines of `count` inquiries, handled by 200
 * spokespersons) due spread over `windowMs`, fired by the deadline worker and delivered by the
 * outbox dispatcher through the telegram adapter to a fake Bot API. Lateness = sent_at − due.
 */
async function benchLateness(count: number, windowMs: number): Promise<DeadlineBenchRow[]> {
  const t = await createTestDb('sqlite');
  const prefix = uniquePrefix('bench-reminders');
  const fake = createFakeTelegram({ token: '123456:BENCH' });
  await fake.start();
  const adapter = createTelegramAdapter({ token: '123456:BENCH', apiRoot: fake.apiRoot, mode: 'polling', logger });
  const dispatcher = createOutboxDispatcher({
    db: t.db, redis: { url: TEST_REDIS_URL }, prefix, adapters: new Map([['telegram', adapter]]), logger, clock: systemClock,
    concurrency: 32, maxAttempts: 5, backoffMaxMs: 2000, onUnreachable: async () => undefined,
  });
  const scheduler = createDeadlineScheduler(schedulerOptions(t, prefix, {
    onFire: createStepFirer(t.db, systemClock, 'vi'), enqueueOutbox: (ids) => dispatcher.enqueue(ids), concurrency: 16,
  }));
  try {
    const net = await seedMiniNetwork(t.db);
    const identityId = await linkChat(t.db, net.reporterId, 'telegram', '900000');
    const handlers = await spokespersons(t.db, net.healthId, 200, (chatId) => fake.userSends({ id: chatId, first_name: 'Người phát ngôn' }, '/start'));
    const firstDueMs = Date.now() + 8_000;
    const dueOf = (i: number) => firstDueMs + Math.floor((i * windowMs) / count);
    await insertAll(t.db, count, (i) => inquiryRow(i, new Date(dueOf(i) - 12 * HOUR_MS), 'incident', {
      orgId: net.healthId, reporterId: net.reporterId, identityId, handlerId: handlers[i % handlers.length]!,
    }));
    await Promise.all([dispatcher.start(), scheduler.start()]);
    await scheduler.reconcile();
    const sent = await waitForSent(t.db, count, firstDueMs + windowMs + 60_000);
    const dueMs = (r: SentReminder) => Date.parse(r.received_at) + 12 * HOUR_MS;
    const late = summarize(sent.map((r) => Date.parse(r.sent_at) - dueMs(r)));
    const fired = summarize(sent.map((r) => Date.parse(r.created_at) - dueMs(r)));
    const label = `${count.toLocaleString('en-US')} reminders due within ${windowMs / 1000} s`;
    return [
      { name: `deadlines: lateness due → fired (outbox row committed), ${label}, p99`, value: round(fired.p99, 0), unit: 'ms', bound: 'report' },
      { name: `deadlines: lateness due → sent, ${label}, p50`, value: round(late.p50, 0), unit: 'ms', bound: 'report' },
      { name: `deadlines: lateness due → sent, ${label}, p99`, value: round(late.p99, 0), unit: 'ms', bound: `≤ ${LATENESS_P99_BOUND_MS} ms`, ok: late.p99 <= LATENESS_P99_BOUND_MS },
    ];
  } finally {
    await scheduler.close();
    await dispatcher.close();
    await fake.stop();
    await deletePrefix(prefix);
    await t.drop();
  }
}

/** `n` spokespersons of `orgId` with a Telegram chat each (opened in the fake by `open`); returns their person ids. */
async function spokespersons(db: Db, orgId: number, n: number, open: (chatId: number) => void): Promise<number[]> {
  const ids: number[] = [];
  const stamp = new Date().toISOString();
  for (let i = 0; i < n; i += 1) {
    const chatId = 700_000 + i;
    const p = await db.insertInto('persons').values({ code: `sp${i}`, full_name: `Người phát ngôn ${i}`, outlet_id: null, outlet_name: null, press_card: null, phone: null, tags: null, locale: null, invite_code: null, invite_used_at: null, created_at: stamp, updated_at: stamp }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('role_assignments').values({ person_id: p.id, role: 'spokesperson', kind: 'regular', org_id: orgId, status: 'active', case_inquiry_id: null, valid_from: null, valid_to: null, created_at: stamp, updated_at: stamp }).execute();
    await linkChat(db, p.id, 'telegram', String(chatId));
    open(chatId);
    ids.push(p.id);
  }
  return ids;
}

/** A delivered reminder: when it was committed and sent, and its inquiry's received time. */
interface SentReminder {
  created_at: string;
  sent_at: string;
  received_at: string;
}

/** Polls until `count` reminder rows were sent. Throws after `untilMs`. */
async function waitForSent(db: Db, count: number, untilMs: number): Promise<SentReminder[]> {
  for (;;) {
    const rows = await db.selectFrom('outbox').innerJoin('inquiries', 'inquiries.id', 'outbox.inquiry_id')
      .select(['outbox.created_at', 'outbox.sent_at', 'inquiries.received_at']).where('outbox.status', '=', 'sent').execute();
    if (rows.length >= count) return rows.map((r) => ({ ...r, sent_at: r.sent_at ?? '' }));
    if (Date.now() > untilMs) throw new Error(`only ${rows.length} of ${count} reminders were sent in time`);
    await sleep(200);
  }
}

/**
 * Runs the deadline benchmarks: 100,000 inquiries and a one-minute window (quick: 10,000 and
 * 10 s). Needs Redis at `TEST_REDIS_URL`; uses throw-away SQLite databases and Redis prefixes.
 */
export async function benchDeadlines(options: { quick?: boolean } = {}): Promise<DeadlineBenchRow[]> {
  const quick = options.quick ?? false;
  return [
    ...await benchScheduling(quick ? 10_000 : 100_000),
    ...await benchLateness(1000, quick ? 10_000 : 60_000),
  ];
}
