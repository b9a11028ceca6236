/**
 * Fault 1 of issue #10 at the database seam: a PostgreSQL backend terminated (what a server restart,
 * a failover or a pooler's idle timeout does) or a SQLite file locked by another process never ends
 * the process; flow transactions are retried, events left pending are picked up while the process
 * runs. PostgreSQL cases run on the shared test server and terminate only this file's own
 * connections (a unique application_name).
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../adapters/types.js';
import { createDb, type DbHandle } from '../../db/client.js';
import { transientKind } from '../../db/errors.js';
import { retryTransient } from '../../db/retry.js';
import { createInboundProcessor, type InboundProcessorOptions } from '../../src/inbound/processor.js';
import { createManualClock } from '../../src/time/clock.js';
import { loadCalendar } from '../../src/import/calendar.js';
import { createDeadlinePolicy } from '../../src/time/deadline-policy.js';
import { createCapturedLogger } from '../fakes/telegram/harness.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

const clock = createManualClock('2026-12-04T02:00:00Z');
let seq = 0;

function message(user: string, text = 'Xin chào'): InboundEvent {
  seq += 1;
  return { platform: 'telegram', kind: 'message', eventId: `loss-${seq}`, messageId: `m${seq}`, text, from: { id: user }, chatId: user, at: clock.now(), raw: null };
}

async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function processorOn(handle: DbHandle, extra: Partial<InboundProcessorOptions> = {}) {
  const { logger, lines } = createCapturedLogger();
  const queued: number[] = [];
  const processor = createInboundProcessor({
    db: handle.db, storeDb: handle.priority, clock, logger,
    settings: { maxTextChars: 2000, defaultLocale: 'vi', deadlines: createDeadlinePolicy({ db: handle.db, loadCalendar: (via) => loadCalendar(via ?? handle.db) }) },
    enqueueOutbox: async (ids) => { queued.push(...ids); }, syncDeadlines: async () => undefined,
    ...extra,
  });
  return { processor, lines, queued };
}

async function statusOf(handle: DbHandle, eventId: string): Promise<string | undefined> {
  const row = await handle.db.selectFrom('inbound_events').select('status').where('event_id', '=', eventId).executeTakeFirst();
  return row?.status;
}

async function repliesTo(handle: DbHandle, user: string): Promise<number> {
  const rows = await handle.db.selectFrom('outbox').select('id').where('chat_id', '=', user).execute();
  return rows.length;
}

describe.runIf(process.env.TEST_POSTGRES_URL)('PostgreSQL backends terminated', () => {
  let t: TestDb | undefined;
  let mine: DbHandle | undefined;
  let admin: pg.Client | undefined;
  let locker: pg.Client | undefined;
  const appName = `liaison-test-loss-${randomBytes(4).toString('hex')}`;
  const connectionErrors: Error[] = [];

  async function setUp(): Promise<DbHandle> {
    t = await createTestDb('postgres');
    mine = createDb({ url: t.url, pgSchema: t.pgSchema!, pgPoolSize: 4, applicationName: appName, onConnectionError: (err) => connectionErrors.push(err) });
    admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    return mine;
  }
  /** Terminates this test's own connections only. */
  async function terminateMine(): Promise<number> {
    const r = await admin!.query('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1', [appName]);
    return r.rowCount ?? 0;
  }
  afterEach(async () => {
    // Ending the locker's connection rolls its transaction back, so the pool can close.
    await locker?.end().catch(() => undefined);
    locker = undefined;
    await mine?.close();
    await admin?.end();
    await t?.drop();
    connectionErrors.length = 0;
  });

  it('names its connections, so an operator (or this test) can find them', async () => {
    const h = await setUp();
    await sql`select 1`.execute(h.db);
    await sql`select 1`.execute(h.priority);
    const r = await admin!.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [appName]);
    expect(r.rows[0].n).toBeGreaterThanOrEqual(2);
  });

  it('survives idle connections being terminated: the pool replaces them', async () => {
    const h = await setUp();
    await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.01)`.execute(h.db)));
    const terminated = await terminateMine();
    expect(terminated).toBeGreaterThanOrEqual(1);
    await until(() => connectionErrors.length >= terminated, 'the pool to notice every terminated connection');
    expect(transientKind(connectionErrors[0])).toBe('connection');
    const r = await sql<{ n: number }>`select 1 as n`.execute(h.db);
    expect(r.rows[0]!.n).toBe(1);
    await h.ping();
  });

  it('survives a connection dying inside a transaction between statements, and the retried transaction commits', async () => {
    const h = await setUp();
    let attempts = 0;
    const result = await retryTransient(() => h.db.transaction().execute(async (tx) => {
      attempts += 1;
      await sql`select 1`.execute(tx);
      // The connection is checked out and idle in the transaction when it dies: pg emits `error` on the client.
      if (attempts === 1) {
        await terminateMine();
        await until(() => connectionErrors.length >= 1, 'the client to notice');
      }
      return (await sql<{ n: number }>`select 2 as n`.execute(tx)).rows[0]!.n;
    }), { firstDelayMs: 10 });
    expect(result).toBe(2);
    expect(attempts).toBe(2);
  });

  it('retries a flow transaction whose connection is terminated mid-way; the event is processed once', async () => {
    const h = await setUp();
    const { processor, lines } = processorOn(h);
    // Hold the identities table so the flow blocks inside its transaction, after marking the event.
    // (On a connection of its own: inside a transaction pg_stat_activity is read once and cached.)
    locker = new pg.Client({ connectionString: t!.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE ${t!.pgSchema}.identities IN EXCLUSIVE MODE`);
    const event = message('9001');
    await processor.accept(event);
    await until(async () => (await admin!.query("SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", [appName])).rowCount! > 0, 'the flow to wait on the lock');
    expect(await terminateMine()).toBeGreaterThanOrEqual(1);
    await until(() => lines.some((l) => l.includes('database unavailable, retrying')), 'a retry');
    await locker.query('COMMIT');
    await processor.drain();
    expect(await statusOf(h, event.eventId)).toBe('done');
    expect(await repliesTo(h, '9001')).toBe(1);
    expect(lines.some((l) => l.includes('inbound event failed'))).toBe(false);
  });

  it('keeps acking while backends are terminated over and over; every event is processed exactly once', async () => {
    const h = await setUp();
    const { processor } = processorOn(h);
    let stop = false;
    const killer = (async () => { while (!stop) { await terminateMine(); await new Promise((r) => setTimeout(r, 15)); } })();
    const users = Array.from({ length: 20 }, (_, i) => String(9100 + i));
    // A refused ack is what a webhook answers 5xx to: the platform sends the same event again.
    const events = users.map((u) => message(u));
    try {
      for (const e of events) await retryTransient(() => processor.accept(e), { firstDelayMs: 5, retryable: () => true, giveUpAfterMs: 15_000 });
    } finally {
      stop = true;
      await killer;
    }
    await processor.drain();
    await processor.sweep();
    await processor.drain();
    for (const e of events) expect(await statusOf(h, e.eventId)).toBe('done');
    for (const u of users) expect(await repliesTo(h, u)).toBe(1);
  });
});

describe('SQLite file locked by another process', () => {
  let t: TestDb | undefined;
  let h: DbHandle | undefined;
  let locker: Database.Database | undefined;
  afterEach(async () => {
    if (locker?.inTransaction) locker.exec('ROLLBACK');
    locker?.close();
    await h?.close();
    await t?.drop();
  });

  async function setUp(): Promise<DbHandle> {
    t = await createTestDb('sqlite');
    // A short busy timeout: each locked statement blocks this thread that long before SQLITE_BUSY.
    h = createDb({ url: t.url, sqliteBusyTimeoutMs: 20 });
    locker = new Database(t.url);
    locker.pragma('busy_timeout = 20');
    return h;
  }

  it('retries the flow while the file is locked and processes the event once it is free', async () => {
    const db = await setUp();
    const { processor, lines } = processorOn(db, { onEvent: () => locker!.exec('BEGIN IMMEDIATE') });
    const event = message('9201');
    await processor.accept(event);
    await until(() => lines.some((l) => l.includes('database unavailable, retrying') && l.includes('SQLITE_BUSY')), 'a retry on SQLITE_BUSY');
    locker!.exec('COMMIT');
    await processor.drain();
    expect(await statusOf(db, event.eventId)).toBe('done');
    expect(await repliesTo(db, '9201')).toBe(1);
  });

  it('refuses an ack while locked (the platform sends again), and a patient accept waits for the lock', async () => {
    const db = await setUp();
    const { processor } = processorOn(db);
    locker!.exec('BEGIN IMMEDIATE');
    const refused = message('9202');
    await expect(processor.accept(refused)).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) });
    const patient = message('9203');
    let stored = false;
    const waiting = processor.acceptPatiently(patient).then(() => { stored = true; });
    await new Promise((r) => setTimeout(r, 100));
    expect(stored).toBe(false);
    locker!.exec('COMMIT');
    await waiting;
    await processor.drain();
    expect(await statusOf(db, patient.eventId)).toBe('done');
    expect(await statusOf(db, refused.eventId)).toBeUndefined();
  });

  it('leaves an event pending when the database stays away, and the sweep processes it while the process runs', async () => {
    const db = await setUp();
    const { processor, lines } = processorOn(db, { onEvent: () => locker!.exec('BEGIN IMMEDIATE'), retryForMs: 50, sweepEveryMs: 20, staleAfterMs: 60_000 });
    const event = message('9204');
    await processor.accept(event);
    await processor.drain();
    expect(lines.some((l) => l.includes('inbound event left pending'))).toBe(true);
    expect(await statusOf(db, event.eventId)).toBe('pending');
    locker!.exec('COMMIT');
    processor.start();
    // Not yet stale: the sweep leaves it to whoever may still be running it.
    await new Promise((r) => setTimeout(r, 100));
    expect(await statusOf(db, event.eventId)).toBe('pending');
    clock.advance(61_000);
    await until(async () => (await statusOf(db, event.eventId)) === 'done', 'the sweep');
    await processor.drain();
    expect(await repliesTo(db, '9204')).toBe(1);
    expect(lines.some((l) => l.includes('inbound event failed'))).toBe(false);
  });
});
