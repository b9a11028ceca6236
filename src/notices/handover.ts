import type { Platform } from '../../adapters/types.js';
import { findNoticeAttachments } from '../../db/repositories/attachments.js';
import { insertOutbox } from '../../db/repositories/outbox.js';
import type { Notice } from '../../db/schema.js';
import { btn } from '../../flows/buttons.js';
import { copyFor } from '../../flows/copy/index.js';
import { NOTICE_ACTIONS } from '../../flows/notices/dialog.js';
import type { DeliveryRow } from '../../db/repositories/notices.js';
import { holdRecipientForOutbox, linkRecipientOutbox } from '../../db/repositories/notices-write.js';
import type { NoticeContext } from './types.js';

/**
 * Hands a notice the recipient's channel cannot take now (reply window closed, the channel's
 * credentials refused) to the interactive outbox, which holds it until the person writes or the
 * channel works again, or sends it to another of the person's chats — as it does for answers.
 * The delivery row becomes `held` and turns `sent` when the outbox delivers it
 * ({@link markHandedOverSent}); acknowledging works either way (by notice and person). Expects the
 * row claimed (`sending`); returns false when another lane settled it meanwhile. `sentIds`: the
 * platform ids of the parts this chat already has (a refusal after the first parts): the outbox
 * row starts after them, so the person does not get those parts twice.
 */
export async function handOverToOutbox(ctx: NoticeContext, notice: Notice, row: DeliveryRow, platform: Platform, reason: string, sentIds: readonly string[] = []): Promise<boolean> {
  if (row.identity_id === null || row.chat_id === null) return false;
  const t = copyFor(row.locale, ctx.defaultLocale);
  const view = { title: notice.title, body: notice.body, link: notice.link };
  const nowIso = ctx.clock.now().toISOString();
  const identityId = row.identity_id;
  const chatId = row.chat_id;
  const files = notice.parent_id === null ? (await findNoticeAttachments(ctx.db, notice.id)).map((a) => a.id) : [];
  const outboxId = await ctx.db.transaction().execute(async (tx) => {
    if (!(await holdRecipientForOutbox(tx, row.id, `held: ${reason}`, nowIso))) return undefined;
    const id = await insertOutbox(tx, {
      queue: 'outbox', identity_id: identityId, platform, chat_id: chatId,
      text: notice.parent_id === null ? t.notice.message(view) : t.notice.reminder(view),
      buttons: JSON.stringify([[btn(t.notice.btnAck, NOTICE_ACTIONS.ack, notice.parent_id ?? notice.id)]]),
      reply_to_message_id: null, reply_to_outbox_id: null, inquiry_id: null, ref_kind: null, ref_person_id: row.person_id,
      report_unreachable: 0, status: 'pending', attempts: 0, parts_sent: sentIds.length, sent_message_id: null,
      sent_message_ids: sentIds.length > 0 ? JSON.stringify(sentIds) : null,
      last_error: null, created_at: nowIso, sent_at: null,
      ...(files.length > 0 ? { attachments: JSON.stringify(files) } : {}),
    });
    await linkRecipientOutbox(tx, row.id, id);
    return id;
  });
  if (outboxId === undefined) return false;
  await ctx.enqueueOutbox([outboxId]);
  ctx.logger.info({ noticeId: notice.id, recipientId: row.id, outboxId, reason }, 'notices: handed to the outbox to wait for the channel');
  return true;
}
