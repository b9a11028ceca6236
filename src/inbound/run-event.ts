import type { InboundEvent } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import { describeDbError, isTransientDbError } from '../../db/errors.js';
import { markInboundFailed } from '../../db/repositories/inbound.js';
import { startInboundEvent } from '../../db/repositories/inbound-start.js';
import type { OutboxRowChat } from '../../db/repositories/outbox-claims.js';
import { retryTransient } from '../../db/retry.js';
import type { FlowSettings } from '../../flows/context.js';
import type { NewDeadline } from '../../flows/effects.js';
import { localDate } from '../../flows/copy/format.js';
import { handleInboundEvent, seenIdentity, type FlowOutcome } from '../../flows/handle.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../time/clock.js';
import { genericErrorReply } from './error-reply.js';

/** What running one stored event needs (the processor's options, resolved). */
export interface RunEventDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  settings: FlowSettings;
  /** `chats`: the chat of every row of `ids`, when known (then the dispatcher reads none). */
  enqueueOutbox(ids: readonly number[], chats?: readonly OutboxRowChat[]): Promise<void>;
  /** `created`: those of `inquiryIds` the event created, planned from what its transaction knew (see `DeadlineScheduler.sync`). */
  syncDeadlines(inquiryIds: readonly number[], created?: readonly NewDeadline[]): Promise<void>;
  startNotices?(noticeIds: readonly number[]): Promise<void>;
  /** Told about each transient database error (the health monitor probes then). */
  onDatabaseError?(err: unknown): void;
  /** Aborted when the process stops: no more waiting for the database. */
  signal?: AbortSignal;
  /** How long the flow transaction is retried while the database fails transiently, in ms. */
  retryForMs: number;
  /**
   * Work on a stored event before its flow's transaction (fetching and storing its files); must
   * be idempotent (an event is prepared again after a crash or a retry). Default: none.
   */
  prepare?(event: InboundEvent): Promise<InboundEvent>;
}

/**
 * How an event's run ended. `already_done`: a retried run found the event processed — by the
 * attempt whose COMMIT lost its connection (then what it committed was not handed on), or by
 * another process.
 */
export type RunResult = 'done' | 'already_done' | 'failed' | 'left_pending';

/**
 * The two lines of what a committed flow hands on: its outbox rows (a process that sends drains
 * them itself, needing no Redis), and its deadline re-plans and notice starts (which wait for
 * Redis while it is away). On separate lines, replies keep going out while Redis is away.
 */
export type HandOnLine = 'outbox' | 'plans';

/**
 * Runs the flow of one stored event in one transaction and hands what it committed on (at once,
 * or through `handOnLater`, which runs each part after this returns, on its {@link HandOnLine}).
 *
 * A transient database failure (connection lost, server restarting, file locked) is retried here,
 * holding the chat's place in line so its events stay in order. That is safe even when the
 * connection dropped during COMMIT: the transaction starts by marking the event done only if it is
 * still pending, so a run that did commit makes the retry a no-op (and its outbox rows, committed
 * with it, are queued by the dispatcher's reconciliation). When the database stays away longer than
 * `retryForMs`, or the process stops, the event stays pending for the processor's sweep or the next
 * start; the sender gets no apology for a failure that is not theirs and will be repaired.
 */
export async function runStoredEvent(d: RunEventDeps, received: InboundEvent, handOnLater?: (work: () => Promise<void>, line: HandOnLine) => void): Promise<RunResult> {
  let outcome: FlowOutcome | 'already_done';
  let retried = false;
  let event = received;
  try {
    if (d.prepare) event = await d.prepare(received);
    outcome = await retryTransient(() => runFlow(d, event, retried), {
      firstDelayMs: 250, maxDelayMs: 5000, giveUpAfterMs: d.retryForMs, ...(d.signal ? { signal: d.signal } : {}),
      onRetry: (err, attempt, delayMs) => {
        retried = true;
        d.onDatabaseError?.(err);
        if (attempt === 1 || attempt % 10 === 0) {
          d.logger.warn({ platform: event.platform, eventId: event.eventId, attempt, delayMs, error: describeDbError(err) }, 'inbound event: database unavailable, retrying');
        }
      },
    });
  } catch (err) {
    if (isTransientDbError(err)) {
      d.onDatabaseError?.(err);
      d.logger.warn({ platform: event.platform, eventId: event.eventId, error: describeDbError(err) }, 'inbound event left pending: the database is unavailable; it is processed once the database answers');
      return 'left_pending';
    }
    await recordFailure(d, event, err);
    return 'failed';
  }
  if (outcome === 'already_done') return 'already_done';
  const committed = outcome;
  if (handOnLater) {
    handOnLater(() => queueOutbox(d, event, committed), 'outbox');
    handOnLater(() => handOnPlans(d, event, committed), 'plans');
  } else {
    await queueOutbox(d, event, committed);
    await handOnPlans(d, event, committed);
  }
  return 'done';
}

async function runFlow(d: RunEventDeps, event: InboundEvent, retried: boolean): Promise<FlowOutcome | 'already_done'> {
  const now = d.clock.now();
  return d.db.transaction().execute(async (tx) => {
    // The person wrote, so a closed reply window (Zalo OA) is open again: what waited for this
    // chat goes out first (older ids are delivered first within a chat), committed with the
    // new last_inbound_at so the delivery sees the window open. With the event's mark, the
    // sender's identity and their person and roles: one statement on PostgreSQL.
    const start = await startInboundEvent(tx, { eventId: event.eventId, seen: seenIdentity(event), nowIso: now.toISOString(), today: localDate(now) });
    if (!start.done) return retried ? 'already_done' : { outboxIds: [], deadlineIds: [] };
    const handled = await handleInboundEvent(tx, event, now, d.settings, start);
    const { released } = start;
    const chats = handled.outboxChats && [...released.map((id): OutboxRowChat => ({ id, queue: 'outbox', platform: event.platform, chatId: event.chatId })), ...handled.outboxChats];
    return { ...handled, outboxIds: [...released, ...handled.outboxIds], ...(chats ? { outboxChats: chats } : {}) };
  });
}

/**
 * After the commit: the event is done whatever happens here. Each hand-over that fails is repaired
 * by a reconciliation (outbox rows and deadline jobs at start and when the database returns,
 * notices periodically), so it is logged, never turned into a failure of the event.
 */
async function queueOutbox(d: RunEventDeps, event: InboundEvent, outcome: FlowOutcome): Promise<void> {
  if (outcome.outboxIds.length > 0) await d.enqueueOutbox(outcome.outboxIds, outcome.outboxChats).catch(handOnFailed(d, event, 'could not queue the outbox rows of an event; the reconciliation will'));
}

/** Deadline re-plans and notice starts: they need Redis, and wait for it while it is away. */
async function handOnPlans(d: RunEventDeps, event: InboundEvent, outcome: FlowOutcome): Promise<void> {
  if (outcome.deadlineIds.length > 0) await d.syncDeadlines(outcome.deadlineIds, outcome.newDeadlines).catch(handOnFailed(d, event, 'deadline sync failed'));
  if (outcome.noticeIds?.length) await d.startNotices?.(outcome.noticeIds).catch(handOnFailed(d, event, 'notice start failed'));
}

function handOnFailed(d: RunEventDeps, event: InboundEvent, what: string): (err: unknown) => void {
  return (err) => { d.logger.error({ err, platform: event.platform, eventId: event.eventId }, what); };
}

/** A flow that failed for a reason of its own: marked failed (kept for inspection) and the sender gets an apology. */
async function recordFailure(d: RunEventDeps, event: InboundEvent, err: unknown): Promise<void> {
  const { platform, eventId } = event;
  const now = d.clock.now();
  d.logger.error({ err, platform, eventId, kind: event.kind }, 'inbound event failed');
  // Each step below is best effort, but never silent: a failure here means the sender may get no reply.
  const logged = (what: string) => (e: unknown) => { d.logger.error({ err: e, platform, eventId }, what); };
  await markInboundFailed(d.db, platform, eventId, String(err), now.toISOString()).catch(logged('could not mark the inbound event failed; the sweep will run it again'));
  const ids = await genericErrorReply(d.db, event, now, d.settings).catch((e: unknown) => { logged('could not queue the apology to the sender')(e); return []; });
  if (ids.length > 0) await d.enqueueOutbox(ids).catch(logged('could not enqueue the apology; the reconciliation will send it'));
}
