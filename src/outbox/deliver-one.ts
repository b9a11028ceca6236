import {
  BadRequestError, ChatError, TransientError, type Button, type ChatAdapter, type OutboundMessage, type Platform,
} from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import { retryTransient } from '../../db/retry.js';
import { withNumberedChoices, recordChoiceMenu } from '../../flows/choices.js';
import { copyForIdentity } from '../../flows/effects.js';
import { markHandedOverSent } from '../../flows/notices/store.js';
import {
  findOlderPendingInChat, findOutbox, insertDeliveryRefs, markOutboxSent, recordOutboxPartsSent,
} from '../../db/repositories/outbox.js';
import type { OutboxHeldReason, OutboxQueue, OutboxRow } from '../../db/schema.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../time/clock.js';
import type { BackoffOptions } from './backoff.js';
import { findIdentity } from '../../db/repositories/identities.js';
import { handleSendError } from './send-errors.js';
import { appliesTo, isWindowClosed, isWindowRefusal, WINDOW_HOLD } from './window.js';
import { holdForCredentials, isCredentialsRefusal, type CredentialWatch } from './credentials.js';
import { holdOrRedirect } from './hold.js';
import type { OutboxMetrics } from './types.js';

/** How long recording a send that happened is retried while the database fails transiently (the job's lock is renewed meanwhile). */
const RECORD_RETRY = { firstDelayMs: 200, maxDelayMs: 5000, giveUpAfterMs: 120_000 };

/** Everything one delivery needs; built once by the dispatcher. */
export interface DeliveryContext {
  db: Db;
  queueName: OutboxQueue;
  adapters: ReadonlyMap<Platform, ChatAdapter>;
  logger: Logger;
  clock: Clock;
  maxAttempts: number;
  backoff: BackoffOptions;
  onUnreachable(row: OutboxRow, reason: string): Promise<void>;
  /** Called after a row was parked as `held` (reply window closed, no other channel); a throw is logged. */
  onHeld?(row: OutboxRow): Promise<void>;
  /** Releases rows held for refused credentials once a platform accepts us again (set by the dispatcher). */
  credentials?: CredentialWatch;
  metrics?: OutboxMetrics;
  scrub: (text: string) => string;
  defaultLocale: 'vi' | 'en';
}

/** What happened to one delivery attempt; the job processor turns it into a BullMQ move. */
export type DeliveryOutcome =
  | { kind: 'skipped'; reason: 'missing' | 'not_pending' | 'other_queue' | 'no_adapter'; row?: OutboxRow }
  | { kind: 'wait'; reason: 'chat_order' | 'reply_pending'; blockerId: number; row: OutboxRow }
  | { kind: 'rate_limited'; delayMs: number; row: OutboxRow }
  | { kind: 'retry'; delayMs: number; error: string; row: OutboxRow }
  | { kind: 'sent'; messageIds: string[]; row: OutboxRow }
  | { kind: 'failed'; reason: 'bad_request' | 'max_attempts'; error: string; row: OutboxRow }
  | { kind: 'unreachable'; reason: string; row: OutboxRow }
  /** Parked: until the recipient writes (`reply_window`), or until the platform accepts our credentials (`credentials`). */
  | { kind: 'held'; reason: OutboxHeldReason; row: OutboxRow }
  /** The reply window is closed or our credentials refused: copied to another identity of the person (`newIds` to deliver). */
  | { kind: 'redirected'; newIds: number[]; row: OutboxRow };

/**
 * Delivers outbox row `outboxId` once, if it is still pending and nothing older in its chat is.
 * `jobAttemptsMade` is BullMQ's count of earlier failed attempts of this job.
 */
export async function deliverOne(ctx: DeliveryContext, outboxId: number, jobAttemptsMade: number): Promise<DeliveryOutcome> {
  const row = await findOutbox(ctx.db, outboxId);
  if (!row) return { kind: 'skipped', reason: 'missing' };
  if (row.status !== 'pending') return { kind: 'skipped', reason: 'not_pending', row };
  if (row.queue !== ctx.queueName) return { kind: 'skipped', reason: 'other_queue', row };
  const adapter = ctx.adapters.get(row.platform);
  if (!adapter) return { kind: 'skipped', reason: 'no_adapter', row };
  const olderId = await findOlderPendingInChat(ctx.db, row);
  if (olderId !== undefined) return { kind: 'wait', reason: 'chat_order', blockerId: olderId, row };
  const reply = await resolveReplyTo(ctx.db, row);
  if ('waitFor' in reply) return { kind: 'wait', reason: 'reply_pending', blockerId: reply.waitFor, row };
  const windowed = appliesTo(ctx, adapter);
  if (windowed && isWindowClosed(await findIdentity(ctx.db, row.identity_id), adapter, ctx.clock.now())) return holdOrRedirect(ctx, row, WINDOW_HOLD);
  let messageIds: string[];
  let message: OutboundMessage;
  try {
    message = await composeMessage(ctx, adapter, row, reply.replyTo);
    messageIds = await sendRow(ctx.db, adapter, row, message);
  } catch (err) {
    if (isCredentialsRefusal(err)) return holdForCredentials(ctx, await findOutbox(ctx.db, row.id) ?? row, err);
    // The platform answered, so it accepts our credentials: what was held for them can go.
    if (err instanceof ChatError && !(err instanceof TransientError)) await ctx.credentials?.accepted(row.platform);
    if (windowed && isWindowRefusal(err)) return holdOrRedirect(ctx, await findOutbox(ctx.db, row.id) ?? row, WINDOW_HOLD);
    return handleSendError(ctx, row, err, jobAttemptsMade);
  }
  await ctx.credentials?.accepted(row.platform);
  return completeDelivery(ctx, row, messageIds, adapter.capabilities.buttons ? undefined : message.buttons);
}

/**
 * The row as this adapter shows it. An adapter without buttons gets them as numbered choices in
 * the text (in the recipient's language); the same text every attempt, so parts resume cleanly.
 */
async function composeMessage(ctx: DeliveryContext, adapter: ChatAdapter, row: OutboxRow, replyTo: string | undefined): Promise<OutboundMessage> {
  const buttons = parseButtons(row.buttons);
  const numbered = buttons && !adapter.capabilities.buttons;
  const text = numbered ? withNumberedChoices(row.text, buttons, await copyForIdentity(ctx.db, row.identity_id, ctx.defaultLocale)) : row.text;
  return { text, ...(buttons ? { buttons } : {}), ...(replyTo ? { replyTo } : {}) };
}

/** The platform message id to reply to, or the id of the row it replies to while that is still pending. */
async function resolveReplyTo(db: Db, row: OutboxRow): Promise<{ replyTo?: string } | { waitFor: number }> {
  const fallback = row.reply_to_message_id ? { replyTo: row.reply_to_message_id } : {};
  if (row.reply_to_outbox_id === null) return fallback;
  const target = await findOutbox(db, row.reply_to_outbox_id);
  if (target?.status === 'pending') return { waitFor: target.id };
  // A reply target that failed or is unreachable: send the message anyway, unthreaded.
  return target?.status === 'sent' && target.sent_message_id ? { replyTo: target.sent_message_id } : fallback;
}

function parseButtons(json: string | null): Button[][] | undefined {
  if (json === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(json);
    if (Array.isArray(parsed)) return parsed as Button[][];
  } catch {
    // fall through: a row we cannot render is a permanent failure, not a retry
  }
  throw new BadRequestError('outbox row has invalid buttons JSON');
}

function parseMessageIds(json: string | null, partsSent: number): string[] {
  if (json === null || partsSent === 0) return [];
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.slice(0, partsSent).map(String) : [];
}

/**
 * Sends the parts not yet delivered and returns the message ids of every part. Each accepted part
 * is persisted at once, so a retry after a failure on part N never re-sends parts before N.
 */
async function sendRow(db: Db, adapter: ChatAdapter, row: OutboxRow, message: OutboundMessage): Promise<string[]> {
  const prior = parseMessageIds(row.sent_message_ids, row.parts_sent);
  const ids = [...prior];
  const result = await adapter.send(row.chat_id, message, {
    skipParts: prior.length,
    // Parts go out one after another, so counting calls does not depend on how the adapter numbers them.
    onPartSent: async (_index, messageId) => {
      ids.push(messageId);
      // The part is out: recording it must outlast a database blink, or a retry sends it again.
      await retryTransient(() => recordOutboxPartsSent(db, row.id, ids), RECORD_RETRY);
    },
  });
  return ids.length > prior.length ? ids : [...prior, ...result.messageIds];
}

/**
 * Marks the row sent and writes its message refs in one transaction, with the numbered menu when
 * the buttons were sent as text (`menu`).
 */
async function completeDelivery(ctx: DeliveryContext, row: OutboxRow, messageIds: string[], menu: Button[][] | undefined): Promise<DeliveryOutcome> {
  const sentAt = ctx.clock.now();
  const at = sentAt.toISOString();
  const attempts = row.attempts + 1;
  // Sent already, so a database blink must not turn into a second send: retried (the update is
  // guarded on status 'pending', so a COMMIT that did land makes the retry a no-op).
  const changed = await retryTransient(() => ctx.db.transaction().execute(async (trx) => {
    const ok = await markOutboxSent(trx, row.id, { messageIds, sentAt: at, attempts });
    if (ok) await insertDeliveryRefs(trx, row, messageIds, at);
    // Only notices handed over by the notice engine (never tied to an inquiry) can match.
    if (ok && row.inquiry_id === null) await markHandedOverSent(trx, row.id, messageIds, at);
    const last = messageIds.at(-1);
    if (ok && menu && last) await recordChoiceMenu(trx, { platform: row.platform, chatId: row.chat_id, messageId: last, buttons: menu, at });
    return ok;
  }), RECORD_RETRY);
  if (!changed) return { kind: 'skipped', reason: 'not_pending', row };
  const labels = { platform: row.platform };
  ctx.metrics?.outboxSentTotal.inc(labels);
  const latencyMs = sentAt.getTime() - Date.parse(row.created_at);
  if (Number.isFinite(latencyMs)) ctx.metrics?.outboxDeliverySeconds.observe(labels, Math.max(0, latencyMs) / 1000);
  const sent = { ...row, status: 'sent' as const, attempts, sent_at: at, sent_message_id: messageIds[0] ?? null };
  return { kind: 'sent', messageIds, row: sent };
}
