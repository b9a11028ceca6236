import { DelayedError, UnrecoverableError, type Job, type Queue } from 'bullmq';
import { describeDbError, isTransientDbError } from '../../db/errors.js';
import { findNextPendingInChat } from '../../db/repositories/outbox.js';
import type { OutboxRow } from '../../db/schema.js';
import type { Logger } from '../logger.js';
import { outboxJobId } from '../scheduler/queues.js';
import { RetryLaterError } from './backoff.js';
import { deliverOne, type DeliveryContext, type DeliveryOutcome } from './deliver-one.js';
import type { OutboxJobData } from './types.js';

/** Wait before looking again while the database is unavailable, in ms (plus up to as much again, spread). */
const DB_UNAVAILABLE_RETRY_MS = 1000;
/** Longest wait behind an older row, as a multiple of `postponeMs`. */
const MAX_WAIT_FACTOR = 8;
/** Every this many waits, make sure the blocking row has a job. */
const REVIVE_EVERY_WAITS = 4;

/** What the processor needs besides the delivery context. */
export interface ProcessDeps {
  queue: Queue<OutboxJobData>;
  /** Re-adds delivery jobs (idempotent), to revive a blocking row whose job was lost. */
  enqueue(ids: readonly number[]): Promise<void>;
  /** First wait behind an older row of the same chat, in ms. */
  postponeMs: number;
}

/** The BullMQ processor: one delivery attempt, mapped onto BullMQ's states. */
export function createJobProcessor(ctx: DeliveryContext, deps: ProcessDeps) {
  return async (job: Job<OutboxJobData>, token?: string): Promise<string> => {
    let outcome: DeliveryOutcome;
    try {
      outcome = await deliverOne(ctx, job.data.outboxId, job.attemptsMade);
    } catch (err) {
      if (!isTransientDbError(err)) throw err;
      // The database is away (a send that did happen was recorded with retries first): look again
      // soon, without using up an attempt, so delivery resumes within seconds of its return
      // instead of after a backoff grown during the outage.
      ctx.logger.warn({ outboxId: job.data.outboxId, error: describeDbError(err) }, 'outbox: database unavailable, delivery postponed');
      return postpone(job, token, DB_UNAVAILABLE_RETRY_MS + Math.floor(Math.random() * DB_UNAVAILABLE_RETRY_MS));
    }
    logOutcome(ctx.logger, job.data.outboxId, outcome);
    switch (outcome.kind) {
      case 'skipped':
        return outcome.kind;
      case 'wait': {
        const waits = job.data.waits ?? 0;
        // A long blocker may have lost its job (Redis down at commit time); re-adding is otherwise a no-op.
        if (waits > 0 && waits % REVIVE_EVERY_WAITS === 0) await deps.enqueue([outcome.blockerId]);
        await job.updateData({ ...job.data, waits: waits + 1 });
        return postpone(job, token, deps.postponeMs * Math.min(2 ** waits, MAX_WAIT_FACTOR));
      }
      case 'rate_limited':
        // Not a wait for a predecessor: a finishing predecessor must not wake this job early.
        if (job.data.waits) await job.updateData({ ...job.data, waits: 0 });
        return postpone(job, token, outcome.delayMs);
      case 'retry':
        throw new RetryLaterError(outcome.delayMs, outcome.error);
      case 'failed':
        await wakeSuccessor(ctx, deps.queue, outcome.row);
        throw new UnrecoverableError(outcome.error);
      case 'redirected':
        await deps.enqueue(outcome.newIds);
        await wakeSuccessor(ctx, deps.queue, outcome.row);
        return outcome.kind;
      case 'sent':
      case 'unreachable':
      case 'held':
        await wakeSuccessor(ctx, deps.queue, outcome.row);
        return outcome.kind;
    }
  };
}

/**
 * Moves the active job back to the delayed set without consuming an attempt. BullMQ requires
 * the processor to throw `DelayedError` afterwards so it does not also complete the job.
 * The delay is measured on the real clock: BullMQ schedules with `Date.now()`.
 */
async function postpone(job: Job<OutboxJobData>, token: string | undefined, delayMs: number): Promise<never> {
  await job.moveToDelayed(Date.now() + delayMs, token);
  throw new DelayedError();
}

/**
 * Promotes the job of the next pending row of the same chat if it is sleeping behind this one,
 * so a burst to one chat goes out back to back instead of at the polling interval.
 */
async function wakeSuccessor(ctx: DeliveryContext, queue: Queue<OutboxJobData>, row: OutboxRow): Promise<void> {
  try {
    const nextId = await findNextPendingInChat(ctx.db, row);
    if (nextId === undefined) return;
    const next = await queue.getJob(outboxJobId(nextId));
    if (next && (next.data.waits ?? 0) > 0 && (await next.isDelayed())) await next.promote();
  } catch (err) {
    // Best effort: the successor wakes up on its own timer anyway (e.g. it just became active).
    ctx.logger.debug({ outboxId: row.id, err: String(err) }, 'outbox: could not wake the next row of the chat');
  }
}

function logOutcome(logger: Logger, outboxId: number, outcome: DeliveryOutcome): void {
  const base = { outboxId, platform: outcome.row?.platform, identityId: outcome.row?.identity_id };
  switch (outcome.kind) {
    case 'sent':
      logger.info({ ...base, parts: outcome.messageIds.length, attempts: outcome.row.attempts }, 'outbox: sent');
      return;
    case 'skipped':
      if (outcome.reason === 'no_adapter') logger.error(base, 'outbox: no adapter for the platform; row left pending');
      else logger.debug({ ...base, reason: outcome.reason }, 'outbox: nothing to do');
      return;
    case 'wait':
      logger.debug({ ...base, reason: outcome.reason }, 'outbox: waiting for an earlier row');
      return;
    case 'rate_limited':
      logger.info({ ...base, delayMs: outcome.delayMs }, 'outbox: rate limited, postponed');
      return;
    case 'retry':
      logger.warn({ ...base, attempts: outcome.row.attempts + 1, delayMs: outcome.delayMs, error: outcome.error }, 'outbox: send failed, will retry');
      return;
    case 'failed':
      logger.error({ ...base, reason: outcome.reason, attempts: outcome.row.attempts, error: outcome.error }, 'outbox: send failed for good');
      return;
    case 'unreachable':
      logger.warn({ ...base, reason: outcome.reason }, 'outbox: recipient unreachable');
      return;
    case 'held':
      if (outcome.reason === 'credentials') logger.warn({ ...base, error: outcome.row.last_error }, 'outbox: the platform refused our credentials; held until they work again');
      else logger.info(base, 'outbox: reply window closed; held until the recipient writes');
      return;
    case 'redirected':
      logger.info({ ...base, newIds: outcome.newIds }, 'outbox: recipient not reachable on this platform now; sent to another identity of the person');
  }
}
