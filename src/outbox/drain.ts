import { claimChatHead, outboxChatKey, releaseClaim, type OutboxChat } from '../../db/repositories/outbox-claims.js';
import type { OutboxRow } from '../../db/schema.js';
import { deliverClaimed, DeliveryAborted } from './deliver-one.js';
import type { DeliveryContext, DeliveryOutcome, DigestSettings, Waker } from './types.js';
import { tryDigest } from './digest.js';
import { describeError } from '../delivery/error-text.js';
import { logOutcome } from './log-outcome.js';
import type { PlatformBack } from './platform-back.js';

/** Wait before re-checking a row that replies to a message still pending in another chat, in ms. */
const REPLY_PENDING_RECHECK_MS = 1000;
/** Wait before trying a chat again after an unexpected error before its send, in ms. */
const ABORT_RECHECK_MS = 1000;

/** Adds delivery jobs (see {@link outboxJobId}); every method is idempotent per row and due time. */

/** What a drain needs besides the delivery context. */
export interface DrainDeps {
  ctx: DeliveryContext;
  wake: Waker;
  /** Hands new rows (a redirected copy) to their own chats. */
  enqueue(ids: readonly number[]): Promise<void>;
  /** Rows sent by one job before it re-queues itself behind other chats. */
  rowsPerJob: number;
  /** True once the dispatcher is closing: a drain finishes its send in flight and takes no more. */
  stopping(): boolean;
  /** Retries at once what waits after a platform's errors when that platform accepts a send again. */
  platformBack?: PlatformBack;
  /** Waiting notices of one chat sent as one digest past a threshold; absent: never. */
  digest?: DigestSettings;
  /** Chats whose drain found the head claimed by a send of this process (see {@link createBusyNotes}). */
  busyHere: BusyNotes;
}

/**
 * A send's mark tells whether its chat has more, as of the mark's snapshot. On PostgreSQL a row
 * committed while the mark runs is not in it, and the job woken for that row may find the chat
 * still busy with this very send and end: the drain that finds the head claimed by a send of
 * this process notes the chat here, and the holder then reads the chat again after its mark
 * whatever the mark said. (A job of another process that ends so, in that instant, is covered by
 * the sweep, within `OUTBOX_SWEEP_MS`; on SQLite the mark holds the only write lock, so it sees
 * every committed row.)
 */
export interface BusyNotes {
  note(chat: OutboxChat): void;
  /** True (once) when the chat was noted since the last call. */
  take(chat: OutboxChat): boolean;
}

export function createBusyNotes(): BusyNotes {
  const noted = new Set<string>();
  return {
    note: (chat) => { noted.add(outboxChatKey(chat)); },
    take: (chat) => noted.delete(outboxChatKey(chat)),
  };
}

/** How one chat's drain ended (the job's return value). */
export type DrainResult = 'drained' | 'busy' | 'waiting' | 'yielded';

/**
 * Sends a chat's pending rows, oldest first, one at a time: claim the oldest (only if no other
 * send of the chat is in flight), send it, record the outcome, and go on with the next. No row
 * ever waits by polling: a row behind another is sent by whoever sends the one before it, a row
 * not yet due (rate limit, backoff) gets a job delayed until it is due, and a claim that lapsed
 * (its process stopped) is found by the sweep. A drain that finds the chat busy just ends: the
 * holder reads the chat's next row only after recording its own outcome, so it sees every row
 * committed before this job was added.
 */
export async function drainChat(deps: DrainDeps, chat: OutboxChat): Promise<DrainResult> {
  const { ctx } = deps;
  let last: OutboxRow | undefined;
  for (let sent = 0; sent < deps.rowsPerJob; sent += 1) {
    // A clean stop waits for sends in flight only; the rest is woken by another process's sweep or at the next start.
    if (deps.stopping()) return 'yielded';
    const claim = await claimChatHead(ctx.db, chat, {
      owner: ctx.lease.owner, nowIso: new Date(ctx.lease.now()).toISOString(), leaseUntil: ctx.lease.leaseUntil(),
      inFlightHere: (id) => ctx.lease.holds(id), ownerGone: (owner) => ctx.lease.isGone(owner),
      // A job's first look, and a look after a send whose mark saw more, usually find a free head: claimed in one statement.
    }, { freeFirst: true });
    if (claim.kind === 'empty') return 'drained';
    if (claim.kind === 'busy') {
      if (claim.row.lease_owner === ctx.lease.owner) deps.busyHere.note(chat);
      return 'busy';
    }
    if (claim.kind === 'not_due') {
      await deps.wake.at(chat, claim.row.id, Date.parse(claim.dueAt));
      return 'waiting';
    }
    if (claim.interrupted) noteInterrupted(ctx, claim.row, claim.previousOwner);
    // A flood of notices: the head and those behind it become one digest row, claimed next.
    else if (deps.digest && (await tryDigest(ctx, deps.digest, chat, claim.row, last !== undefined))) continue;
    last = claim.row;
    const next = await deliverAndSettle(deps, chat, claim.row);
    if (next === 'stop') return 'waiting';
    if (next === 'drained') return 'drained';
  }
  // Fairness: other chats' jobs run before this chat's next rows (a job of its own: a new id).
  if (last) await deps.wake.at(chat, last.id, ctx.lease.now());
  return 'yielded';
}

/** `drained`: the row was sent and its mark saw nothing else pending in the chat. */
async function deliverAndSettle(deps: DrainDeps, chat: OutboxChat, row: OutboxRow): Promise<'next' | 'stop' | 'drained'> {
  const { ctx } = deps;
  ctx.lease.hold(row.id);
  try {
    const outcome = await deliverClaimed(ctx, row);
    logOutcome(ctx.logger, outcome);
    const next = await settle(deps, chat, outcome);
    await deps.platformBack?.settled(chat, outcome);
    return next;
  } catch (err) {
    await abandon(deps, chat, row, err);
    throw err;
  } finally {
    ctx.lease.release(row.id);
  }
}

/** Ends the claim of an attempt that did not finish; `stop` when the chat must wait for the row. */
async function settle(deps: DrainDeps, chat: OutboxChat, outcome: DeliveryOutcome): Promise<'next' | 'stop' | 'drained'> {
  const { ctx } = deps;
  const { row } = outcome;
  const later = async (delayMs: number, extra: { attempts?: number; lastError?: string } = {}) => {
    const dueMs = ctx.lease.now() + delayMs;
    await releaseClaim(ctx.db, row.id, ctx.lease.owner, { nextAttemptAt: new Date(dueMs).toISOString(), ...extra });
    await deps.wake.at(chat, row.id, dueMs);
    return 'stop' as const;
  };
  switch (outcome.kind) {
    case 'rate_limited': return later(outcome.delayMs);
    case 'retry': return later(outcome.delayMs, { attempts: outcome.attempts, lastError: outcome.error });
    case 'wait': return later(REPLY_PENDING_RECHECK_MS);
    case 'skipped':
      if (outcome.reason !== 'no_adapter') return 'next';
      // Another process may have the adapter; this one leaves the row to it (its sweep finds it).
      await releaseClaim(ctx.db, row.id, ctx.lease.owner, { nextAttemptAt: null });
      return 'stop';
    case 'redirected':
      await deps.enqueue(outcome.newIds);
      return 'next';
    case 'sent':
      // Taken whatever the mark said, so a note never outlives the send it was about.
      return deps.busyHere.take(chat) || outcome.chatHasMore ? 'next' : 'drained';
    case 'failed': case 'unreachable': case 'held':
      return 'next';
  }
}

/**
 * An attempt ended by an error of ours (database, rendering). Before the platform was called the
 * claim is given back (tried again shortly); after, the outcome is unknown and the claim is left
 * to lapse, so the row counts as interrupted (a possible repeat) when it is sent again.
 */
async function abandon(deps: DrainDeps, chat: OutboxChat, row: OutboxRow, err: unknown): Promise<void> {
  const { ctx } = deps;
  const started = err instanceof DeliveryAborted && err.sendStarted;
  const cause = err instanceof DeliveryAborted ? err.cause : err;
  ctx.logger.error({ outboxId: row.id, platform: row.platform, sendStarted: started, error: describeError(cause, ctx.scrub) },
    started ? 'outbox: could not record a send; the row may be sent again once its claim lapses' : 'outbox: delivery failed before sending; retried shortly');
  if (started) return;
  try {
    const dueMs = ctx.lease.now() + ABORT_RECHECK_MS;
    await releaseClaim(ctx.db, row.id, ctx.lease.owner, { nextAttemptAt: new Date(dueMs).toISOString() });
    await deps.wake.at(chat, row.id, dueMs);
  } catch {
    // The database or Redis is failing too: the claim lapses and the sweep wakes the chat.
  }
}

function noteInterrupted(ctx: DeliveryContext, row: OutboxRow, previousOwner: string | null): void {
  ctx.metrics?.outboxResentInFlightTotal.inc({ platform: row.platform });
  ctx.logger.warn({ outboxId: row.id, platform: row.platform, previousOwner, resentInFlight: row.resent_in_flight },
    'outbox: a send interrupted by a stopped process is sent again (it may arrive twice)');
}
