/**
 * The fault plans: the full one of `npm run faults` and the reduced one inside `npm test`. Each
 * runs on a fresh session (private Redis, and a private PostgreSQL server for `postgres`).
 */
import { privatePostgresAvailable, startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';
import { startTestRedis } from '../helpers/private-redis.js';
import {
  killNine, platformTimeouts, postgresRestart, rateLimitStorm, redisFlush, redisKill, serverErrors, terminateBackends,
} from './faults.js';
import { runSegment, type Fault, type FaultOutcome } from './segment.js';
import { FaultSession, type DbKind } from './session.js';

/** One step of a plan. */
export interface PlanStep {
  name: string;
  fault: Fault;
  /** Only on this database (PostgreSQL server faults). */
  only?: DbKind;
}

/** A random moment, in ms, between `min` and `max`. */
function moment(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min));
}

export const FULL_PLAN: readonly PlanStep[] = [
  { name: 'kill -9 (1 of 3)', fault: killNine },
  { name: 'kill -9 (2 of 3)', fault: killNine },
  { name: 'kill -9 (3 of 3)', fault: killNine },
  { name: 'PostgreSQL backends terminated', fault: terminateBackends, only: 'postgres' },
  { name: 'PostgreSQL stopped 3 s, started', fault: postgresRestart(3000), only: 'postgres' },
  { name: 'Redis FLUSHALL', fault: redisFlush },
  { name: 'Redis killed, restarted 10 s later', fault: redisKill(10_000) },
  { name: '429 storm, 5 s', fault: rateLimitStorm(5000) },
  { name: '5xx burst, 5 s', fault: serverErrors(5000) },
  { name: 'timeouts, 5 s', fault: platformTimeouts(5000) },
];

/** Three kills only (`--plan kills`), to look into the first message after a restart. */
export const KILL_PLAN: readonly PlanStep[] = FULL_PLAN.filter((s) => s.fault === killNine);

export const SHORT_PLAN: readonly PlanStep[] = [
  { name: 'kill -9', fault: killNine },
  { name: 'Redis FLUSHALL', fault: redisFlush },
  { name: '5xx burst, 3 s', fault: serverErrors(3000) },
];

export interface PlanOptions {
  reporters: number;
  /** Reporters on the Zalo OA besides the Telegram ones (default 0). */
  zaloReporters?: number;
  pauseMs: number;
  waitMs: number;
  log: (message: string) => void;
  /** Called with each outcome as it is known. */
  onOutcome?: (outcome: FaultOutcome) => void;
}

/** Whether `db` can run here (PostgreSQL needs the Debian server binaries). */
export function canRun(db: DbKind): boolean {
  return db === 'sqlite' || privatePostgresAvailable();
}

/** Runs `plan` on `db`, one segment after another on one session; returns the outcomes. */
export async function runPlan(db: DbKind, plan: readonly PlanStep[], o: PlanOptions): Promise<FaultOutcome[]> {
  const redis = await startTestRedis();
  let server: PrivatePostgres | undefined;
  let session: FaultSession | undefined;
  const outcomes: FaultOutcome[] = [];
  try {
    if (db === 'postgres') server = await startPrivatePostgres();
    session = await FaultSession.open({ db, redis, reporters: o.reporters, zaloReporters: o.zaloReporters ?? 0, pauseMs: o.pauseMs, waitMs: o.waitMs, log: o.log, ...(server ? { pg: server } : {}) });
    for (const step of plan) {
      if (step.only && step.only !== db) continue;
      o.log(`${db}: ${step.name}`);
      const outcome = await runSegment(session, step.name, step.fault, moment(1000, 3000));
      o.log(`${db}: ${step.name}: ${JSON.stringify(outcome)}`);
      outcomes.push(outcome);
      o.onOutcome?.(outcome);
    }
    return outcomes;
  } finally {
    await session?.close().catch((err: unknown) => o.log(`close: ${String(err)}`));
    await redis.stop();
    await server?.destroy();
  }
}
