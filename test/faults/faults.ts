/**
 * The faults of issue #10, each as a {@link Fault}: it injects the fault into a running session,
 * waits for the bot to be back, and says when that was and how many sends were in flight.
 * Test code only.
 */
import pg from 'pg';
import { OA_ERRORS } from '../fakes/zalo-oa/server.js';
import type { Fault } from './segment.js';
import type { FaultSession } from './session.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(s: FaultSession, probe: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + s.o.waitMs * 3;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Rows the bot had claimed for sending (a send in flight) and not yet recorded. */
async function claimed(s: FaultSession): Promise<number> {
  return (await s.readRows()).filter((r) => r.status === 'pending' && r.lease_owner !== null).length;
}

/**
 * `kill -9` at the moment the runner chose, then a restart. In flight: the rows the dead process
 * had claimed (read from the database after its death). Recovered: the new process's first log line.
 */
export const killNine: Fault = async (s) => {
  await s.kill9();
  const inFlight = await claimed(s);
  const spawnedAt = Date.now();
  await s.startBot();
  const first = s.lines.find((l) => l.at >= spawnedAt);
  if (process.env.FAULTS_DEBUG) setTimeout(() => s.o.log(s.lines.filter((l) => l.at >= spawnedAt).slice(0, 40).map((l) => `${new Date(l.at).toISOString().slice(17, 23)} ${l.msg}`).join('\n')), 8000);
  return { recoveredAt: first?.at ?? spawnedAt, inFlight, killsTheBot: true };
};

async function admin(s: FaultSession): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: s.o.pg!.urlFor('postgres') });
  await client.connect();
  return client;
}

/** Every backend of the bot terminated (a restart, failover or pooler timeout, seen by the bot). */
export const terminateBackends: Fault = async (s) => {
  const inFlight = await claimed(s);
  const client = await admin(s);
  try {
    const at = Date.now();
    await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'liaison-faults'");
    return { recoveredAt: at, inFlight };
  } finally {
    await client.end();
  }
};

/** The private PostgreSQL server stopped (fast shutdown) for `downMs`, then started again. */
export function postgresRestart(downMs: number): Fault {
  return async (s) => {
    const inFlight = await claimed(s);
    const stoppedAt = Date.now();
    await s.o.pg!.stop();
    await sleep(downMs);
    await s.o.pg!.start();
    const back = await until(s, () => s.loggedAfter('database available again', stoppedAt), 'the bot to see the database again');
    return { recoveredAt: back.at, inFlight };
  };
}

/** FLUSHALL on the private Redis; reconciled when the bot logs that it re-planned its jobs. */
export const redisFlush: Fault = async (s) => {
  const inFlight = await claimed(s);
  const at = Date.now();
  await s.o.redis.client.flushall();
  const done = await until(s, () => s.loggedAfter('redis: jobs re-planned', at), 'the bot to re-plan its jobs');
  return { recoveredAt: done.at, inFlight, reconcileMs: done.at - at };
};

/** The private Redis killed (SIGKILL, no persistence) and started again, empty, `downMs` later. */
export function redisKill(downMs: number): Fault {
  return async (s) => {
    const inFlight = await claimed(s);
    await s.o.redis.kill();
    await sleep(downMs);
    await s.o.redis.restart();
    const back = Date.now();
    const done = await until(s, () => s.loggedAfter('redis: jobs re-planned', back), 'the bot to re-plan its jobs');
    return { recoveredAt: done.at, inFlight, reconcileMs: done.at - back };
  };
}

/** Every sendMessage refused with 429 (`retry_after` 1 s), and every OA send with HTTP 429 (Retry-After 1 s), for `ms`. */
export function rateLimitStorm(ms: number): Fault {
  return async (s) => {
    const inFlight = await claimed(s);
    s.setPlatformFault({ error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 }, { ...OA_ERRORS.rate, httpStatus: 429, retryAfterS: 1 });
    await sleep(ms);
    s.clearPlatformFault();
    return { recoveredAt: Date.now(), inFlight };
  };
}

/** Every sendMessage, and every OA send, answered 502 Bad Gateway for `ms`. */
export function serverErrors(ms: number): Fault {
  return async (s) => {
    const inFlight = await claimed(s);
    s.setPlatformFault({ error_code: 502, description: 'Bad Gateway' }, { code: 0, message: 'Bad Gateway', httpStatus: 502 });
    await sleep(ms);
    s.clearPlatformFault();
    return { recoveredAt: Date.now(), inFlight };
  };
}

/**
 * For `ms`, every sendMessage and every OA send is carried out by the platform but its answer never
 * comes; then the hung connections drop (a proxy's idle timeout). Each is a send in flight, which the bot may repeat.
 */
export function platformTimeouts(ms: number): Fault {
  return async (s) => {
    const stop = s.proxy.holdEvery((c) => c.path.endsWith('/sendMessage'));
    s.oa?.holdAnswers(true);
    await sleep(ms);
    const held = stop();
    s.oa?.holdAnswers(false);
    s.proxy.dropHeld();
    const heldOa = s.oa?.dropHeldAnswers() ?? 0;
    s.o.log(`timeouts: ${held} Telegram and ${heldOa} Zalo OA sends held unanswered`);
    return { recoveredAt: Date.now(), inFlight: held + heldOa };
  };
}
