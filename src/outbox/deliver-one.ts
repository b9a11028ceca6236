import {
  AuthError, BadRequestError, ChatError, TransientError, type Button, type ChatAdapter, type OutboundMessage,
} from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import { withNumberedChoices, recordChoiceMenu } from '../../flows/choices.js';
import { copyForIdentity } from '../../flows/effects.js';
import { markHandedOverSent } from '../../db/repositories/notices.js';
import { findOutbox, insertDeliveryRefs, markOutboxSent, markOutboxSentWithRefs, recordOutboxPartsSent, type SentMark } from '../../db/repositories/outbox.js';
import type { OutboxRow } from '../../db/schema.js';
import { findIdentity } from '../../db/repositories/identities.js';
import { handleSendError } from './send-errors.js';
import { holdsForWindow, WINDOW_HOLD } from '../delivery/window.js';
import { sendRemainingParts, storedProgress, type PartsProgress } from '../delivery/parts.js';
import { holdOrRedirect } from './hold.js';
import { persistently, type PersistOptions } from '../delivery/persist.js';
import type { DeliveryContext, DeliveryOutcome } from './types.js';
import { rowFiles } from './files.js';
import { editInPlace } from './edit.js';

/** Thrown when delivering a claimed row failed outside the platform call; `sendStarted` tells whether the platform may have it. */
export class DeliveryAborted extends Error {
  constructor(readonly sendStarted: boolean, options: { cause: unknown }) {
    super('delivery aborted', options);
    this.name = 'DeliveryAborted';
  }
}

/**
 * Delivers one row this process has claimed (the oldest pending row of its chat): sends the
 * parts not yet delivered and records the outcome, ending the claim. The outcome of a send the
 * platform accepted is recorded with retries (a database failure must not turn into a second send).
 */
export async function deliverClaimed(ctx: DeliveryContext, row: OutboxRow): Promise<DeliveryOutcome> {
  const adapter = ctx.adapters.get(row.platform);
  if (!adapter) return { kind: 'skipped', reason: 'no_adapter', row };
  const parts = storedProgress(row.sent_message_ids, row.parts_sent);
  try {
    return await attempt(ctx, adapter, row, parts);
  } catch (err) {
    throw new DeliveryAborted(parts.started, { cause: err });
  }
}

async function attempt(ctx: DeliveryContext, adapter: ChatAdapter, row: OutboxRow, parts: PartsProgress): Promise<DeliveryOutcome> {
  const reply = await resolveReplyTo(ctx.db, row);
  if ('waitFor' in reply) return { kind: 'wait', reason: 'reply_pending', blockerId: reply.waitFor, row };
  // Only interactive rows wait for the window: the notices engine hands such notices to this queue (`src/notices/handover.ts`).
  const windowHolds = ctx.queueName === 'outbox';
  if (windowHolds && await holdsForWindow(adapter, ctx.clock.now(), () => findIdentity(ctx.db, row.identity_id))) return holdOrRedirect(ctx, row, WINDOW_HOLD);
  let message: OutboundMessage;
  try {
    if (row.edit_of_outbox_id !== null) {
      parts.started = true;
      const edited = await editInPlace(ctx.db, adapter, row, parseButtons(row.buttons));
      if (edited) return completeDelivery(ctx, row, [edited], undefined);
    }
    message = await composeMessage(ctx, adapter, row, reply.replyTo);
    await sendRemainingParts(adapter, row.chat_id, message, parts, {
      log: { record: (ids) => recordOutboxPartsSent(ctx.db, row.id, ids) }, persist: persistOptions(ctx, row),
    });
  } catch (caught) {
    if (!(caught instanceof ChatError)) throw caught;
    const current = parts.recorded > row.parts_sent ? await findOutbox(ctx.db, row.id) ?? row : row;
    // The platform answered (not a network failure), so it accepts our credentials: what was held for them can go.
    if (!(caught instanceof TransientError) && !(caught instanceof AuthError)) await ctx.credentials?.accepted(row.platform);
    return handleSendError(ctx, current, caught, windowHolds);
  }
  await ctx.credentials?.accepted(row.platform);
  return completeDelivery(ctx, row, parts.ids, adapter.capabilities.buttons ? undefined : message.buttons);
}

/**
 * The row as this adapter shows it. An adapter without buttons gets them as numbered choices in
 * the text (in the recipient's language); the same text every attempt, so parts resume cleanly.
 */
async function composeMessage(ctx: DeliveryContext, adapter: ChatAdapter, row: OutboxRow, replyTo: string | undefined): Promise<OutboundMessage> {
  const buttons = parseButtons(row.buttons);
  const numbered = buttons && !adapter.capabilities.buttons;
  const copy = () => copyForIdentity(ctx.db, row.identity_id, ctx.defaultLocale);
  const { files, linkLines } = await rowFiles(ctx.db, ctx.files, adapter, row, copy);
  const body = linkLines.length > 0 ? `${row.text}\n\n${linkLines.join('\n')}` : row.text;
  const text = numbered ? withNumberedChoices(body, buttons, await copy()) : body;
  const secrets = row.secrets === null ? undefined : (JSON.parse(row.secrets) as string[]);
  return { text, ...(buttons ? { buttons } : {}), ...(replyTo ? { replyTo } : {}), ...(secrets ? { secrets } : {}), ...(files.length > 0 ? { files } : {}) };
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

function persistOptions(ctx: DeliveryContext, row: OutboxRow): PersistOptions {
  return { logger: ctx.logger, scrub: ctx.scrub, giveUpAfterMs: ctx.recordRetryMs, fields: { outboxId: row.id }, now: ctx.lease.now };
}

/** Is `messageIds` what the row already records (an earlier try of this very write committed)? */
async function recordsSameSend(db: Db, id: number, messageIds: readonly string[]): Promise<boolean> {
  const current = await findOutbox(db, id);
  return current?.sent_message_ids === JSON.stringify(messageIds);
}

/**
 * Marks the row sent and writes its message refs in one transaction, with the numbered menu when
 * the buttons were sent as text (`menu`). When another process finished the row meanwhile (its
 * claim had lapsed, so it sent too), the refs of this copy are still written: a reply to either
 * copy finds its inquiry.
 */
async function completeDelivery(ctx: DeliveryContext, row: OutboxRow, messageIds: string[], menu: Button[][] | undefined): Promise<DeliveryOutcome> {
  const sentAt = ctx.clock.now();
  const at = sentAt.toISOString();
  const attempts = row.attempts + 1;
  const record = async (trx: Db): Promise<SentMark | undefined> => {
    const mark = await markOutboxSent(trx, row, { messageIds, sentAt: at, attempts });
    if (mark || !(await recordsSameSend(trx, row.id, messageIds))) await insertDeliveryRefs(trx, row, messageIds, at);
    if (mark && row.notice_handover === 1) await markHandedOverSent(trx, row.id, messageIds, at);
    const last = messageIds.at(-1);
    if (mark && menu && last) await recordChoiceMenu(trx, { platform: row.platform, chatId: row.chat_id, messageId: last, buttons: menu, at });
    return mark;
  };
  // A row with nothing to record beside its own "sent" needs no transaction: one statement.
  const alone = (row.inquiry_id === null || row.ref_kind === null) && row.notice_handover !== 1 && !menu;
  // With refs only (an inquiry's message), PostgreSQL marks and writes them in one statement,
  // SQLite in two (refs, then mark) without BEGIN/COMMIT; if the row was no longer pending, the
  // transaction below decides as always (refs are written once, so none twice).
  const refsOnly = !alone && !menu && row.notice_handover !== 1;
  const mark = await persistently('record a delivered outbox row', async () => {
    if (alone) return record(ctx.db);
    const marked = refsOnly ? await markOutboxSentWithRefs(ctx.db, row, { messageIds, sentAt: at, attempts }) : undefined;
    return marked ?? ctx.db.transaction().execute(record);
  }, persistOptions(ctx, row));
  if (!mark) return { kind: 'skipped', reason: 'not_pending', row };
  const labels = { platform: row.platform };
  ctx.metrics?.outboxSentTotal.inc(labels);
  const latencyMs = sentAt.getTime() - Date.parse(row.created_at);
  if (Number.isFinite(latencyMs)) ctx.metrics?.outboxDeliverySeconds.observe(labels, Math.max(0, latencyMs) / 1000);
  const sent = { ...row, status: 'sent' as const, attempts, sent_at: at, sent_message_id: messageIds[0] ?? null };
  return { kind: 'sent', messageIds, row: sent, chatHasMore: mark.more };
}
