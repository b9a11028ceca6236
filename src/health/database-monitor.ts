import { describeDbError, transientKind } from '../../db/errors.js';
import type { Logger } from '../logger.js';

/** What the monitor knows about the database. */
export interface DatabaseState {
  /** False from a failed probe until a probe succeeds. */
  available: boolean;
  /** When `available` last changed (or the monitor started), ISO-8601 UTC. */
  since: string;
  /** The probe's error while unavailable (code and message, no connection string). */
  error?: string;
}

/** Options of {@link createDatabaseMonitor}. */
export interface DatabaseMonitorOptions {
  /** Resolves when the database answers within `timeoutMs` (`DbHandle.ping`). */
  ping(timeoutMs: number): Promise<void>;
  logger: Logger;
  now(): Date;
  /** Probe period while the database answers, in ms. Default 10,000. */
  intervalMs?: number;
  /** Probe period while it does not, in ms. Default 1,000. */
  downIntervalMs?: number;
  /** A probe fails after this long without an answer, in ms. Default 2,000. */
  timeoutMs?: number;
  /**
   * Runs once the database answers again after an outage (the boot-time reconciliation, in place):
   * work that gave up while it was away is picked up without a restart. Not run twice at once; a
   * failure is logged.
   */
  onRecovered?(outageMs: number): Promise<void>;
}

/** Watches whether the database answers; `/healthz` reads it. */
export interface DatabaseMonitor {
  /** Starts the periodic probe. Idempotent. */
  start(): void;
  stop(): void;
  /** Probes now (sharing a probe already in flight) and returns the state after it. */
  check(): Promise<DatabaseState>;
  /** A statement failed with `err`: when it looks like a lost connection, probe at once instead of at the next tick. */
  suspect(err: unknown): void;
  state(): DatabaseState;
}

/**
 * Creates the monitor. One failed probe is retried once at once (a probe can land on a connection
 * the server closed a moment earlier, which the pool then replaces) before the database counts as
 * unavailable.
 */
export function createDatabaseMonitor(o: DatabaseMonitorOptions): DatabaseMonitor {
  const timeoutMs = o.timeoutMs ?? 2000;
  let state: DatabaseState = { available: true, since: o.now().toISOString() };
  let downSince = 0;
  let inFlight: Promise<DatabaseState> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let recovering: Promise<void> | undefined;
  /** A suspicion arrived while a probe was in flight (which may have started before the failure). */
  let probeAgain = false;

  const probeOnce = (): Promise<unknown> => o.ping(timeoutMs).then(() => undefined, (err: unknown) => err ?? new Error('ping failed'));
  // While available, a failure is confirmed once before it counts; while down, one probe says enough.
  const probe = async (): Promise<unknown> => {
    const err = await probeOnce();
    return err !== undefined && state.available ? probeOnce() : err;
  };

  const recover = (outageMs: number) => {
    if (!o.onRecovered || recovering) return;
    recovering = o.onRecovered(outageMs)
      .catch((err: unknown) => o.logger.error({ err }, 'database back: the reconciliation failed; the next start repeats it'))
      .finally(() => { recovering = undefined; });
  };

  const apply = (err: unknown): DatabaseState => {
    if (err === undefined && !state.available) {
      const outageMs = performance.now() - downSince;
      state = { available: true, since: o.now().toISOString() };
      o.logger.warn({ outageMs: Math.round(outageMs) }, 'database available again; reconciling what waited for it');
      recover(outageMs);
    } else if (err !== undefined && state.available) {
      downSince = performance.now();
      state = { available: false, since: o.now().toISOString(), error: describeDbError(err) };
      o.logger.error({ error: state.error }, 'database unavailable; work waits and resumes when it answers');
    } else if (err !== undefined) {
      state = { ...state, error: describeDbError(err) };
    }
    return state;
  };

  const check = (): Promise<DatabaseState> => (inFlight ??= probe().then(apply).finally(() => {
    inFlight = undefined;
    if (probeAgain && running) {
      probeAgain = false;
      clearTimeout(timer);
      timer = setTimeout(tick, 0);
      timer.unref();
    }
  }));

  const tick = () => {
    timer = undefined;
    if (!running) return;
    void check().finally(() => {
      if (!running || timer) return;
      timer = setTimeout(tick, state.available ? o.intervalMs ?? 10_000 : o.downIntervalMs ?? 1000);
      timer.unref();
    });
  };

  return {
    start() {
      if (running) return;
      running = true;
      tick();
    },
    stop() {
      running = false;
      clearTimeout(timer);
      timer = undefined;
    },
    check,
    suspect(err) {
      if (!running || transientKind(err) !== 'connection') return;
      if (inFlight) {
        probeAgain = true;
        return;
      }
      clearTimeout(timer);
      tick();
    },
    state: () => state,
  };
}
