import type { ChatAdapter, InboundEvent, Platform } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import { describeDbError } from '../../db/errors.js';
import { inboundKey, listPendingInbound } from '../../db/repositories/inbound.js';
import { createInboundStore, type StoreInbound } from './store-batch.js';
import type { OutboxRowChat } from '../../db/repositories/outbox-claims.js';
import { retryTransient } from '../../db/retry.js';
import type { FlowSettings } from '../../flows/context.js';
import type { NewDeadline } from '../../flows/effects.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../time/clock.js';
import { runStoredEvent, type HandOnLine, type RunEventDeps } from './run-event.js';
import { createBurstGate } from './burst-gate.js';
import { createKeyedSerializer } from './serializer.js';
import { withoutNul } from './without-nul.js';

/** Options for {@link createInboundProcessor}. */
export interface InboundProcessorOptions {
  db: Db;
  /**
   * Where `accept` stores events: a handle whose statements do not wait behind the flow
   * transactions queued on `db` (`DbHandle.priority`), so an ack never waits for the backlog.
   * Default `db`.
   */
  storeDb?: Db;
  clock: Clock;
  logger: Logger;
  settings: FlowSettings;
  /** Hands committed outbox rows to the dispatcher (`chats`: see `RunEventDeps.enqueueOutbox`). */
  enqueueOutbox(ids: readonly number[], chats?: readonly OutboxRowChat[]): Promise<void>;
  /** Re-plans the deadline jobs of inquiries whose deadline changed (`created`: see `RunEventDeps.syncDeadlines`). */
  syncDeadlines(inquiryIds: readonly number[], created?: readonly NewDeadline[]): Promise<void>;
  /** Queues the deliveries of notices confirmed by an event; optional (the boot reconciliation also does it). */
  startNotices?(noticeIds: readonly number[]): Promise<void>;
  /** Counts events for metrics; optional. */
  onEvent?(platform: Platform, kind: string, duplicate: boolean): void;
  /**
   * Work on a persisted event before its flow's transaction (fetching and storing its files);
   * must be idempotent (an event is prepared again after a crash). Default: none.
   */
  prepare?(event: InboundEvent): Promise<InboundEvent>;
  /** Told about each transient database error met (the health monitor probes at once). */
  onDatabaseError?(err: unknown): void;
  /**
   * A flow transaction was retried after its connection dropped and found its event already
   * processed: the lost COMMIT had succeeded, and what it committed (outbox rows, deadline
   * changes) was not handed on. Run the reconciliation. Rare; optional.
   */
  onCommitUncertain?(): void;
  /** Aborted when the process stops: stops waiting for the database and stops the sweep. */
  signal?: AbortSignal;
  /**
   * Flow transactions run at once (one per chat at a time). Default 16: on PostgreSQL each holds a
   * connection (the main pool has 20 by default), and a burst's turns then carry more work each
   * (1,000 presses at once: 278–314 inquiries/s against 244–259 with 8, and less CPU per inquiry).
   * On SQLite too: it still runs one transaction at a time, but flows in flight together share
   * commits (db/sqlite-group-commit.ts), and acks go ahead on its priority lane (issue #10, fault 7).
   */
  concurrency?: number;
  /**
   * During a burst, acks go first: a flow waits until no event arrived for this long, in ms
   * (default 5; 0 turns it off) — but never longer than `burstMaxDeferMs` (default 500).
   */
  burstQuietMs?: number;
  burstMaxDeferMs?: number;
  /** How long a flow transaction is retried while the database fails transiently, in ms. Default 120,000. */
  retryForMs?: number;
  /** How often the sweep looks for stored events left unprocessed, in ms. Default 60,000. */
  sweepEveryMs?: number;
  /** The sweep takes an event stored at least this long ago, in ms (younger ones are another process's to run). Default 60,000. */
  staleAfterMs?: number;
}

/** Accepts inbound events from adapters: persist once, then process in order per chat. */
export interface InboundProcessor {
  /**
   * Persists the event (deduplicated by platform + eventId) and schedules processing. Resolves once
   * persisted; a dropped connection is retried for a moment, then the call rejects (a webhook
   * answers 5xx and the platform delivers again).
   */
  accept(event: InboundEvent): Promise<void>;
  /**
   * Like `accept`, but keeps trying to store the event until the database answers or the process
   * stops: for channels that never deliver an event twice (the personal Zalo account's socket).
   */
  acceptPatiently(event: InboundEvent): Promise<void>;
  /**
   * Like `accept`, for an event the bot fetched itself (Telegram's getUpdates): no platform waits
   * on an ack for it, so the flows already queued are not held back by its arrival (burst-gate.ts)
   * — during a burst of polled updates, holding them back only left the thread idle.
   */
  acceptPolled(event: InboundEvent): Promise<void>;
  /** Schedules every event stored but never processed (at start, after a crash). Returns how many. */
  recover(): Promise<number>;
  /**
   * Schedules the events stored at least `staleAfterMs` ago and still pending that this process is
   * not already running (left pending while the database was away, or by a process that died).
   * Returns how many. Runs every `sweepEveryMs` once `start` was called.
   */
  sweep(): Promise<number>;
  /** Starts the periodic sweep (stopped by `signal`). */
  start(): void;
  /** Resolves when every accepted event has been processed. */
  drain(): Promise<void>;
}

type StoredEvent = Omit<InboundEvent, 'raw' | 'at'> & { at: string };

/** Creates the inbound pipeline: adapter → persisted event → flow in one transaction → outbox. */
export function createInboundProcessor(o: InboundProcessorOptions): InboundProcessor {
  const runner = createEventRunner(o);
  const store = createInboundStore(o.storeDb ?? o.db);
  /** `acked`: a platform (or a person's page) waits for this store's answer, so queued flows make way for it. */
  const accept = async (received: InboundEvent, patient: boolean, acked: boolean) => {
    const event = { ...withoutNul(withoutRaw(received)), raw: received.raw } as InboundEvent;
    const { fresh, retried } = await storeEvent(o, store, event, patient);
    o.onEvent?.(event.platform, event.kind, !fresh);
    if (acked) runner.arrived();
    // After a retry "seen before" may be our own insert whose answer was lost: run it anyway
    // (processing is guarded, so a real duplicate does nothing).
    if (!fresh && !retried) {
      o.logger.info({ platform: event.platform, eventId: event.eventId }, 'duplicate inbound event ignored');
      return;
    }
    runner.schedule(event);
  };
  const sweep = () => sweepPending(o, runner);
  return {
    accept: (event) => accept(event, false, true),
    acceptPatiently: (event) => accept(event, true, false),
    acceptPolled: (event) => accept(event, false, false),
    async recover() {
      const pending = await listPendingInbound(o.db);
      scheduleStored(runner, pending);
      return pending.length;
    },
    sweep,
    start() {
      if (o.signal?.aborted) return;
      const timer = setInterval(() => {
        sweep().catch((err: unknown) => o.logger.warn({ error: describeDbError(err) }, 'inbound: sweep failed; the next one retries'));
      }, o.sweepEveryMs ?? 60_000);
      timer.unref();
      o.signal?.addEventListener('abort', () => clearInterval(timer), { once: true });
    },
    drain: () => runner.drain(),
  };
}

/** Runs stored events: one chat at a time in order, acks first in a burst, never one event twice at once. */
interface EventRunner {
  schedule(event: InboundEvent): void;
  /** Whether this process has the event queued or running. */
  has(platform: Platform, eventId: string): boolean;
  /** An event was just stored (see {@link createBurstGate}). */
  arrived(): void;
  drain(): Promise<void>;
}

function createEventRunner(o: InboundProcessorOptions): EventRunner {
  const serial = createKeyedSerializer(o.concurrency ?? 16);
  const deps: RunEventDeps = { ...o, retryForMs: o.retryForMs ?? 120_000 };
  const gate = createBurstGate(o.burstQuietMs ?? 5, o.burstMaxDeferMs ?? 500);
  const handOns = { outbox: createHandOnLine(), plans: createHandOnLine() };
  const handOnLater = (work: () => Promise<void>, line: HandOnLine) => handOns[line].push(work);
  /** Events queued or running in this process, so the sweep and `recover` never queue one twice. */
  const queued = new Set<string>();
  return {
    schedule(event) {
      const key = inboundKey(event.platform, event.eventId);
      if (queued.has(key)) return;
      queued.add(key);
      const queuedAt = performance.now();
      void serial.run(`${event.platform}:${event.chatId}`, async () => {
        try {
          await gate.wait(queuedAt);
          if ((await runStoredEvent(deps, event, handOnLater)) === 'already_done') o.onCommitUncertain?.();
        } finally {
          queued.delete(key);
        }
      });
    },
    has: (platform, eventId) => queued.has(inboundKey(platform, eventId)),
    arrived: () => gate.arrived(),
    drain: async () => {
      await serial.idle();
      await Promise.all([handOns.outbox.idle(), handOns.plans.idle()]);
    },
  };
}

/**
 * What a committed flow hands on is work outside its transaction, done in commit order on a line
 * of its own (one for outbox rows, one for deadline re-plans and notice starts: see
 * {@link HandOnLine}). The flow's place in line (one transaction at a time on SQLite) is freed at
 * its commit, so the next flow runs while Redis answers; on one line, two events' deadline
 * re-plans for one inquiry never cross.
 */
function createHandOnLine(): { push(work: () => Promise<void>): void; idle(): Promise<void> } {
  let tail: Promise<void> = Promise.resolve();
  return {
    // handOn logs its own failures and never rejects; the catch keeps the line going regardless.
    push: (work) => { tail = tail.then(work).catch(() => undefined); },
    idle: async () => {
      // A hand-on may be pushed while an earlier one runs: wait until the line stays empty.
      for (let seen: Promise<void> | undefined; seen !== tail;) {
        seen = tail;
        await seen;
      }
    },
  };
}

/**
 * Stores the event through the ack path's handle (with those stored in the same turn: one
 * statement). A dropped connection is retried briefly (or, `patient`, until the database answers
 * or the process stops).
 */
async function storeEvent(o: InboundProcessorOptions, store: StoreInbound, event: InboundEvent, patient: boolean): Promise<{ fresh: boolean; retried: boolean }> {
  const payload = JSON.stringify({ ...withoutRaw(event), at: event.at.toISOString() } satisfies StoredEvent);
  let retried = false;
  const fresh = await retryTransient(() => store({ platform: event.platform, eventId: event.eventId, payload, nowIso: o.clock.now().toISOString() }), {
    firstDelayMs: 50, maxDelayMs: patient ? 5000 : 200, ...(patient ? {} : { giveUpAfterMs: 500 }), ...(o.signal ? { signal: o.signal } : {}),
    onRetry: (err, attempt) => {
      retried = true;
      o.onDatabaseError?.(err);
      if (patient && (attempt === 1 || attempt % 10 === 0)) o.logger.warn({ platform: event.platform, eventId: event.eventId, attempt, error: describeDbError(err) }, 'inbound event: database unavailable, still trying to store it');
    },
  });
  return { fresh, retried };
}

/** Queues the pending events stored at least `staleAfterMs` ago that this process is not running. */
async function sweepPending(o: InboundProcessorOptions, runner: EventRunner): Promise<number> {
  const before = new Date(o.clock.now().getTime() - (o.staleAfterMs ?? 60_000)).toISOString();
  const rows = (await listPendingInbound(o.db, { receivedBefore: before })).filter((r) => !runner.has(r.platform, r.eventId));
  scheduleStored(runner, rows);
  if (rows.length > 0) o.logger.warn({ count: rows.length }, 'inbound: picked up stored events left unprocessed');
  return rows.length;
}

function scheduleStored(runner: EventRunner, rows: ReadonlyArray<{ payload: string }>): void {
  for (const row of rows) {
    const parsed = JSON.parse(row.payload) as StoredEvent;
    runner.schedule({ ...parsed, at: new Date(parsed.at), raw: null } as InboundEvent);
  }
}

function withoutRaw(event: InboundEvent): Omit<InboundEvent, 'raw'> {
  const { raw: _raw, ...rest } = event;
  return rest;
}

/**
 * How an adapter's events are taken in. Webhooks and the web page wait for the store's answer (the
 * ack), so a burst of them holds back the flows; the personal Zalo account's socket never delivers
 * an event twice, so storing waits for the database; Telegram's polled updates wait for nobody.
 */
export function receiverOf(adapter: ChatAdapter, inbound: InboundProcessor): (event: InboundEvent) => Promise<void> {
  if (adapter.platform === 'zalo_personal') return (event) => inbound.acceptPatiently(event);
  if (adapter.webhook || adapter.platform === 'web') return (event) => inbound.accept(event);
  return (event) => inbound.acceptPolled(event);
}
