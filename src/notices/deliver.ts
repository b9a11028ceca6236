import { messageParts } from '../../adapters/parts.js';
import {
  AuthError, BadRequestError, RateLimitError, TransientError, UnreachableError,
  type ChatAdapter, type OutboundMessage, type Platform,
} from '../../adapters/types.js';
import { findNoticeAttachments } from '../../db/repositories/attachments.js';
import { markIdentityUnreachable } from '../../db/repositories/identities-reachability.js';
import type { Attachment, Notice } from '../../db/schema.js';
import { btn } from '../../flows/buttons.js';
import { copyFor } from '../../flows/copy/index.js';
import { NOTICE_ACTIONS } from '../../flows/notices/dialog.js';
import {
  bumpResent, claimRecipient, markRecipientSent, markRecipientSettled, recordRecipientParts, releaseRecipient,
  type DeliveryRow,
} from '../../db/repositories/notices.js';
import { persistently } from '../outbox/persist.js';
import { deliverableFiles } from '../files/deliverable.js';
import { REPLY_WINDOW_CLOSED_REASON } from '../outbox/window.js';
import { handOverToOutbox, windowClosedFor } from './handover.js';
import type { NoticeContext } from './types.js';

/** How long recording a delivered notice is retried when the database fails, in ms. */
const RECORD_RETRY_MS = 60_000;
/** Longest backoff after a transient error, in ms. */
const MAX_BACKOFF_MS = 30_000;

/** What one recipient's delivery ended as. */
export type RecipientOutcome = 'sent' | 'unreachable' | 'failed' | 'skipped' | 'held';

/**
 * The message a recipient gets (their language; the acknowledgement button or numbered choice),
 * with the notice's files this channel takes after the text, and a download link line for the others.
 */
export async function renderNotice(ctx: NoticeContext, notice: Notice, row: DeliveryRow, adapter: ChatAdapter): Promise<OutboundMessage> {
  const t = copyFor(row.locale, ctx.defaultLocale);
  const view = { title: notice.title, body: notice.body, link: notice.link };
  const { files, linkLines } = deliverableFiles(adapter, await noticeFiles(ctx, notice), ctx.files, row.person_id, notice.confirmed_at ?? notice.created_at, () => t);
  const base = notice.parent_id === null ? t.notice.message(view) : t.notice.reminder(view);
  const text = linkLines.length > 0 ? `${base}\n\n${linkLines.join('\n')}` : base;
  const buttons = [[btn(t.notice.btnAck, NOTICE_ACTIONS.ack, notice.parent_id ?? notice.id)]];
  const withFiles = files.length > 0 ? { files } : {};
  if (adapter.capabilities.buttons || !ctx.numberedChoices) return { text, buttons, ...withFiles };
  return { text: ctx.numberedChoices.render(text, buttons, t), buttons, ...withFiles };
}

/** Read once per batch (the batch's notice object), never per recipient. */
const filesByNotice = new WeakMap<Notice, Promise<Attachment[]>>();

/** The files of a notice (a reminder sends none: it points back to the notice). */
function noticeFiles(ctx: NoticeContext, notice: Notice): Promise<Attachment[]> {
  if (notice.parent_id !== null) return Promise.resolve([]);
  let files = filesByNotice.get(notice);
  if (!files) {
    files = findNoticeAttachments(ctx.db, notice.id);
    filesByNotice.set(notice, files);
  }
  return files;
}

/**
 * Delivers one notice to one recipient, at the shared pace: claims the row (so no other lane or
 * process sends it), sends the parts not yet sent, records the outcome. A 429 pauses the whole
 * account and the row is tried again; blocked and never-started chats are marked unreachable.
 */
export async function deliverRecipient(ctx: NoticeContext, notice: Notice, row: DeliveryRow): Promise<RecipientOutcome> {
  // A lane of this process is sending it (a batch job handed out twice): its claim is not ours to take.
  if (ctx.lease.holds(row.id)) return 'skipped';
  try {
    return await deliverClaiming(ctx, notice, row);
  } finally {
    ctx.lease.release(row.id);
  }
}

async function deliverClaiming(ctx: NoticeContext, notice: Notice, row: DeliveryRow): Promise<RecipientOutcome> {
  const platform = row.platform as Platform | null;
  const adapter = platform ? ctx.adapters.get(platform) : undefined;
  if (!platform || !adapter || row.chat_id === null) {
    ctx.logger.error({ noticeId: notice.id, recipientId: row.id, platform }, 'notices: no adapter for the recipient; row left pending');
    return 'skipped';
  }
  const leaseStart = new Date(ctx.clock.now().getTime() - ctx.settings.sendLeaseMs).toISOString();
  // In flight in another lane (or a process that may still be alive): not ours to send yet.
  if (row.status === 'sending' && row.send_started_at !== null && row.send_started_at >= leaseStart) return 'skipped';
  const account = ctx.accountOf(platform);
  const rate = ctx.settings.ratePerS[platform] ?? 0;
  const message = await renderNotice(ctx, notice, row, adapter);
  const parts = messageParts(message, adapter.capabilities.maxTextLength).length;
  // The numbered choices end the text: its last part is the one a reply "1" quotes.
  const textParts = parts - (message.files?.length ?? 0);
  const ids: string[] = row.sent_message_ids && row.parts_sent > 0 ? (JSON.parse(row.sent_message_ids) as string[]).slice(0, row.parts_sent) : [];
  let failures = 0;
  for (;;) {
    await ctx.pacer.acquire(account, row.chat_id, rate, ctx.settings.chatIntervalMs);
    const leaseCutoff = new Date(ctx.clock.now().getTime() - ctx.settings.sendLeaseMs).toISOString();
    const claim = await claimRecipient(ctx.db, row.id, ctx.clock.now().toISOString(), leaseCutoff);
    if (!claim) return 'skipped';
    ctx.lease.hold(row.id);
    if (claim.resumed) {
      await bumpResent(ctx.db, notice.id);
      ctx.onOutcome?.(platform, 'resent');
    }
    if (ids.length === 0 && (await windowClosedFor(ctx, row, adapter))) return held(ctx, notice, row, platform, REPLY_WINDOW_CLOSED_REASON);
    try {
      // Admitted after the claim: the database write must not sit between admission and the call.
      await ctx.pacer.admit(account, row.chat_id, rate, ctx.settings.chatIntervalMs);
      await adapter.send(row.chat_id, message, {
        skipParts: ids.length,
        onPartSent: async (index, messageId) => {
          ids.push(messageId);
          // The last part is recorded with the outcome just below: one write fewer per recipient.
          if (index === parts - 1) return;
          // Best effort: the ids are kept here and recorded with the outcome (a failed write must not re-send).
          await recordRecipientParts(ctx.db, row.id, ids).catch((e: unknown) => ctx.logger.warn({ err: String(e), recipientId: row.id }, 'notices: could not record a delivered part yet'));
          await ctx.pacer.acquire(account, row.chat_id!, rate, ctx.settings.chatIntervalMs);
          await ctx.pacer.admit(account, row.chat_id!, rate, ctx.settings.chatIntervalMs);
        },
      });
    } catch (err) {
      const next = await onSendError(ctx, notice, row, platform, err, failures);
      if (next === 'again') {
        if (!(err instanceof RateLimitError)) failures += 1;
        continue;
      }
      return next;
    }
    const at = ctx.clock.now().toISOString();
    await persistently('record a delivered notice', () => markRecipientSent(ctx.db, row.id, ids, at), {
      logger: ctx.logger, scrub: (t) => t, giveUpAfterMs: RECORD_RETRY_MS, fields: { noticeId: notice.id, recipientId: row.id },
    });
    if (!adapter.capabilities.buttons && ctx.numberedChoices && ids.length > 0 && textParts > 0) {
      await ctx.numberedChoices.record(ctx.db, { platform, chatId: row.chat_id, messageId: ids[Math.min(textParts, ids.length) - 1]!, buttons: message.buttons ?? [], at })
        .catch((e: unknown) => ctx.logger.error({ err: e, recipientId: row.id }, 'notices: could not record the numbered choice'));
    }
    ctx.onOutcome?.(platform, 'sent');
    return 'sent';
  }
}

async function onSendError(
  ctx: NoticeContext, notice: Notice, row: DeliveryRow, platform: Platform, err: unknown, failures: number,
): Promise<RecipientOutcome | 'again'> {
  const now = ctx.clock.now().toISOString();
  const text = err instanceof Error ? err.message : String(err);
  if (err instanceof RateLimitError) {
    await ctx.pacer.pause(ctx.accountOf(platform), err.retryAfterMs);
    await releaseRecipient(ctx.db, row.id, now, text, true);
    ctx.onOutcome?.(platform, 'rate_limited');
    ctx.logger.info({ noticeId: notice.id, platform, retryAfterMs: err.retryAfterMs }, 'notices: rate limited; account paused');
    return 'again';
  }
  // The channel cannot take it now, but will: the outbox holds it (or uses another chat of the person).
  if (err instanceof UnreachableError && err.reason === REPLY_WINDOW_CLOSED_REASON) return held(ctx, notice, row, platform, err.reason);
  if (err instanceof AuthError) return held(ctx, notice, row, platform, 'credentials refused');
  if (err instanceof UnreachableError) {
    await markRecipientSettled(ctx.db, row.id, 'unreachable', err.reason, now);
    if (row.identity_id !== null) await markIdentityUnreachable(ctx.db, row.identity_id, err.reason, now);
    ctx.onOutcome?.(platform, 'unreachable');
    ctx.logger.warn({ noticeId: notice.id, recipientId: row.id, reason: err.reason }, 'notices: recipient unreachable');
    return 'unreachable';
  }
  const transient = !(err instanceof BadRequestError);
  if (!transient || row.attempts + failures + 1 >= ctx.settings.maxAttempts) {
    await markRecipientSettled(ctx.db, row.id, 'failed', text, now);
    ctx.onOutcome?.(platform, 'failed');
    ctx.logger.error({ noticeId: notice.id, recipientId: row.id, error: text }, 'notices: delivery failed for good');
    return 'failed';
  }
  await releaseRecipient(ctx.db, row.id, now, text, false);
  ctx.onOutcome?.(platform, 'retry');
  const hinted = err instanceof TransientError ? err.retryAfterMs : undefined;
  await ctx.sleep(hinted ?? Math.min(MAX_BACKOFF_MS, 500 * 2 ** failures));
  return 'again';
}

async function held(ctx: NoticeContext, notice: Notice, row: DeliveryRow, platform: Platform, reason: string): Promise<RecipientOutcome> {
  if (!(await handOverToOutbox(ctx, notice, row, platform, reason))) return 'skipped';
  ctx.onOutcome?.(platform, 'held');
  return 'held';
}
