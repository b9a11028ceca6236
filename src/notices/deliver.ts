import { messageParts } from '../../adapters/parts.js';
import { RateLimitError, type ChatAdapter, type OutboundMessage, type Platform } from '../../adapters/types.js';
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
import { persistently, type PersistOptions } from '../delivery/persist.js';
import { deliverableFiles } from '../files/deliverable.js';
import type { BackoffOptions } from '../delivery/backoff.js';
import { decideSendError } from '../delivery/outcome.js';
import { sendRemainingParts, storedProgress } from '../delivery/parts.js';
import { holdsForWindow, REPLY_WINDOW_CLOSED_REASON } from '../delivery/window.js';
import { findIdentity } from '../../db/repositories/identities.js';
import { handOverToOutbox } from './handover.js';
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
  const chatId = row.chat_id;
  const identityId = row.identity_id;
  const leaseStart = new Date(ctx.clock.now().getTime() - ctx.settings.sendLeaseMs).toISOString();
  // In flight in another lane (or a process that may still be alive): not ours to send yet.
  if (row.status === 'sending' && row.send_started_at !== null && row.send_started_at >= leaseStart && !ownerGone(ctx, row)) return 'skipped';
  const account = ctx.accountOf(platform);
  const rate = ctx.settings.ratePerS[platform] ?? 0;
  const message = await renderNotice(ctx, notice, row, adapter);
  const progress = storedProgress(row.sent_message_ids, row.parts_sent);
  const persist: PersistOptions = { logger: ctx.logger, scrub: (t) => t, giveUpAfterMs: RECORD_RETRY_MS, fields: { noticeId: notice.id, recipientId: row.id } };
  const pace = async () => {
    await ctx.pacer.acquire(account, chatId, rate, ctx.settings.chatIntervalMs);
    await ctx.pacer.admit(account, chatId, rate, ctx.settings.chatIntervalMs);
  };
  let failures = 0;
  for (;;) {
    await ctx.pacer.acquire(account, chatId, rate, ctx.settings.chatIntervalMs);
    if (!(await claim(ctx, notice, row, platform))) return 'skipped';
    // A partly sent notice is not handed over: the outbox would send its first parts again.
    if (progress.ids.length === 0 && identityId !== null && await holdsForWindow(adapter, ctx.clock.now(), () => findIdentity(ctx.db, identityId))) {
      return held(ctx, notice, row, platform, REPLY_WINDOW_CLOSED_REASON);
    }
    try {
      // Admitted after the claim: the database write must not sit between admission and the call.
      await ctx.pacer.admit(account, chatId, rate, ctx.settings.chatIntervalMs);
      await sendRemainingParts(adapter, chatId, message, progress, {
        log: { record: (ids) => recordRecipientParts(ctx.db, row.id, ids) }, persist, beforeNextPart: pace,
      });
    } catch (err) {
      const next = await onSendError(ctx, notice, row, platform, err, failures, progress.ids);
      if (next === 'again') {
        if (!(err instanceof RateLimitError)) failures += 1;
        continue;
      }
      return next;
    }
    await recordSent(ctx, row, { platform, chatId, adapter, message, ids: progress.ids }, persist);
    return 'sent';
  }
}

/** Whether the row's send in flight belongs to a process known to be dead (taken over without waiting out its lease). */
function ownerGone(ctx: NoticeContext, row: DeliveryRow): boolean {
  return row.status === 'sending' && !!row.send_owner && ctx.lease.isGone(row.send_owner);
}

/** Claims the row for this lane (counting a resumed send of a stopped process); false when another has it. */
async function claim(ctx: NoticeContext, notice: Notice, row: DeliveryRow, platform: Platform): Promise<boolean> {
  const leaseCutoff = new Date(ctx.clock.now().getTime() - ctx.settings.sendLeaseMs).toISOString();
  const claimed = await claimRecipient(ctx.db, row.id, {
    owner: ctx.lease.owner, nowIso: ctx.clock.now().toISOString(), leaseCutoff, ...(ownerGone(ctx, row) ? { goneOwner: row.send_owner! } : {}),
  });
  if (!claimed) return false;
  ctx.lease.hold(row.id);
  if (claimed.resumed) {
    await bumpResent(ctx.db, notice.id);
    ctx.onOutcome?.(platform, 'resent');
  }
  return true;
}

/** What was sent to one recipient. */
interface SentNotice {
  platform: Platform;
  chatId: string;
  adapter: ChatAdapter;
  message: OutboundMessage;
  ids: readonly string[];
}

/** Records the delivery (retried while the database fails) and the numbered-choice menu of an adapter without buttons. */
async function recordSent(ctx: NoticeContext, row: DeliveryRow, sent: SentNotice, persist: PersistOptions): Promise<void> {
  const { platform, chatId, adapter, message, ids } = sent;
  const at = ctx.clock.now().toISOString();
  await persistently('record a delivered notice', () => markRecipientSent(ctx.db, row.id, ids, at), persist);
  // The numbered choices end the text: its last part is the one a reply "1" quotes.
  const textParts = messageParts(message, adapter.capabilities.maxTextLength).length - (message.files?.length ?? 0);
  if (!adapter.capabilities.buttons && ctx.numberedChoices && ids.length > 0 && textParts > 0) {
    await ctx.numberedChoices.record(ctx.db, { platform, chatId, messageId: ids[Math.min(textParts, ids.length) - 1]!, buttons: message.buttons ?? [], at })
      .catch((e: unknown) => ctx.logger.error({ err: e, recipientId: row.id }, 'notices: could not record the numbered choice'));
  }
  ctx.onOutcome?.(platform, 'sent');
}

/** Backoff between tries after a transient error, in ms (no jitter: the pacer already spreads the lanes). */
export const NOTICE_RETRY_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: MAX_BACKOFF_MS, jitter: 0 };

/** The delivery core's decision (`src/delivery/outcome.ts`), acted out on the recipient's row. */
async function onSendError(
  ctx: NoticeContext, notice: Notice, row: DeliveryRow, platform: Platform, err: unknown, failures: number, sentIds: readonly string[],
): Promise<RecipientOutcome | 'again'> {
  const now = ctx.clock.now().toISOString();
  const text = err instanceof Error ? err.message : String(err);
  const outcome = decideSendError(err, { attempts: row.attempts + failures + 1, maxAttempts: ctx.settings.maxAttempts, backoff: NOTICE_RETRY_BACKOFF, windowHolds: true });
  switch (outcome.kind) {
    case 'wait':
      await ctx.pacer.pause(ctx.accountOf(platform), outcome.delayMs);
      await releaseRecipient(ctx.db, row.id, now, text, true);
      ctx.onOutcome?.(platform, 'rate_limited');
      ctx.logger.info({ noticeId: notice.id, platform, retryAfterMs: outcome.delayMs }, 'notices: rate limited; account paused');
      return 'again';
    case 'hold':
      // The channel cannot take it now, but will: the outbox holds it (or uses another chat of the person).
      return held(ctx, notice, row, platform, outcome.reason === 'credentials' ? 'credentials refused' : REPLY_WINDOW_CLOSED_REASON, sentIds);
    case 'unreachable':
      // One transaction: a crash between the two must not leave the chat looking reachable to the next notice.
      await ctx.db.transaction().execute(async (tx) => {
        await markRecipientSettled(tx, row.id, 'unreachable', outcome.reason, now);
        if (row.identity_id !== null) await markIdentityUnreachable(tx, row.identity_id, outcome.reason, now);
      });
      ctx.onOutcome?.(platform, 'unreachable');
      ctx.logger.warn({ noticeId: notice.id, recipientId: row.id, reason: outcome.reason }, 'notices: recipient unreachable');
      return 'unreachable';
    case 'failed':
      await markRecipientSettled(ctx.db, row.id, 'failed', text, now);
      ctx.onOutcome?.(platform, 'failed');
      ctx.logger.error({ noticeId: notice.id, recipientId: row.id, error: text }, 'notices: delivery failed for good');
      return 'failed';
    case 'retry':
      await releaseRecipient(ctx.db, row.id, now, text, false);
      ctx.onOutcome?.(platform, 'retry');
      await ctx.sleep(outcome.delayMs);
      return 'again';
  }
}

async function held(ctx: NoticeContext, notice: Notice, row: DeliveryRow, platform: Platform, reason: string, sentIds: readonly string[] = []): Promise<RecipientOutcome> {
  if (!(await handOverToOutbox(ctx, notice, row, platform, reason, sentIds))) return 'skipped';
  ctx.onOutcome?.(platform, 'held');
  return 'held';
}
