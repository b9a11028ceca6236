import type { ChatError } from '../../adapters/types.js';
import { markIdentityUnreachable } from '../../db/repositories/identities-reachability.js';
import { markOutboxUndeliverable } from '../../db/repositories/outbox.js';
import { markHandedOverUndeliverable } from '../../db/repositories/notices-write.js';
import type { OutboxRow } from '../../db/schema.js';
import { decideSendError } from '../delivery/outcome.js';
import { WINDOW_HOLD } from '../delivery/window.js';
import { holdForCredentials } from './credentials.js';
import { holdOrRedirect } from './hold.js';
import { persistently } from '../delivery/persist.js';
import type { DeliveryContext, DeliveryOutcome } from './types.js';
import { describeError } from '../delivery/error-text.js';

/** Longest unreachable reason stored on the identity, in characters. */
const MAX_REASON = 100;

/**
 * Turns an adapter error into the row's next state, as the delivery core decides
 * (`src/delivery/outcome.ts`): rate limits postpone without using an attempt; reply-window and
 * credential refusals hold the row (or redirect it to another chat of the person); bad requests
 * and unreachable recipients are final at once; anything else is retried with backoff until
 * `maxAttempts` (counted on the row; the drain records the attempt when it releases the claim).
 * `windowHolds`: this queue holds rows for the reply window (else a window refusal is final).
 */
export async function handleSendError(ctx: DeliveryContext, row: OutboxRow, err: ChatError, windowHolds: boolean): Promise<DeliveryOutcome> {
  const attempts = row.attempts + 1;
  const outcome = decideSendError(err, { attempts, maxAttempts: ctx.maxAttempts, backoff: ctx.backoff, windowHolds });
  const error = describeError(err, ctx.scrub);
  switch (outcome.kind) {
    case 'wait':
      ctx.metrics?.outboxRateLimitedTotal.inc({ platform: row.platform });
      return { kind: 'rate_limited', delayMs: outcome.delayMs, row };
    case 'hold':
      return outcome.reason === 'credentials' ? holdForCredentials(ctx, row, error) : holdOrRedirect(ctx, row, WINDOW_HOLD);
    case 'unreachable':
      return markUnreachable(ctx, row, attempts, outcome.reason);
    case 'failed':
      return markFailed(ctx, row, { attempts, error, reason: outcome.reason });
    case 'retry':
      return { kind: 'retry', delayMs: outcome.delayMs, error, attempts, row };
  }
}

async function markFailed(
  ctx: DeliveryContext, row: OutboxRow, failure: { attempts: number; error: string; reason: 'bad_request' | 'max_attempts' },
): Promise<DeliveryOutcome> {
  const changed = await ctx.db.transaction().execute(async (trx) => {
    const ok = await markOutboxUndeliverable(trx, row.id, { status: 'failed', attempts: failure.attempts, lastError: failure.error });
    // A notice handed over by the notice engine (never tied to an inquiry): its delivery row fails too.
    if (ok && row.inquiry_id === null) await markHandedOverUndeliverable(trx, row.id, 'failed', failure.error, ctx.clock.now().toISOString());
    return ok;
  });
  if (!changed) return { kind: 'skipped', reason: 'not_pending', row };
  ctx.metrics?.outboxFailedTotal.inc({ platform: row.platform, reason: failure.reason });
  const failed = { ...row, status: 'failed' as const, attempts: failure.attempts, last_error: failure.error };
  return { kind: 'failed', reason: failure.reason, error: failure.error, row: failed };
}

/**
 * Marks the row and its identity unreachable and writes the coordinators' report (rows with
 * `report_unreachable = 1`) in one transaction, so a crash cannot keep the mark and lose the report;
 * the report's messages are handed to the dispatcher after commit.
 */
async function markUnreachable(ctx: DeliveryContext, row: OutboxRow, attempts: number, rawReason: string): Promise<DeliveryOutcome> {
  const reason = ctx.scrub(rawReason).slice(0, MAX_REASON);
  const at = ctx.clock.now().toISOString();
  const updated = { ...row, status: 'unreachable' as const, attempts, last_error: `unreachable: ${reason}` };
  const reported = await persistently('record an unreachable recipient', () => ctx.db.transaction().execute(async (trx) => {
    const ok = await markOutboxUndeliverable(trx, row.id, { status: 'unreachable', attempts, lastError: `unreachable: ${reason}` });
    if (!ok) return undefined;
    if (row.inquiry_id === null) await markHandedOverUndeliverable(trx, row.id, 'unreachable', `unreachable: ${reason}`, at);
    await markIdentityUnreachable(trx, row.identity_id, reason, at);
    return row.report_unreachable === 1 ? (await ctx.onUnreachable(updated, reason, trx)) ?? [] : [];
  }), { logger: ctx.logger, scrub: ctx.scrub, giveUpAfterMs: ctx.recordRetryMs, fields: { outboxId: row.id }, now: ctx.lease.now });
  if (reported === undefined) return { kind: 'skipped', reason: 'not_pending', row };
  ctx.metrics?.outboxFailedTotal.inc({ platform: row.platform, reason: 'unreachable' });
  if (reported.length > 0) {
    await ctx.enqueue(reported).catch((err: unknown) => ctx.logger.warn({ outboxId: row.id, error: describeError(err, ctx.scrub) },
      'outbox: could not queue the report of an unreachable recipient; the sweep will'));
  }
  return { kind: 'unreachable', reason, row: updated };
}
