import type { Button } from '../../adapters/types.js';
import { countDigestible, replaceWithDigest, type DigestItem } from '../../db/repositories/outbox-digest.js';
import type { OutboxChat } from '../../db/repositories/outbox-claims.js';
import type { Db } from '../../db/client.js';
import type { NewOutboxRow, OutboxRow } from '../../db/schema.js';
import { A, btn, rows } from '../../flows/buttons.js';
import { digestText } from '../../flows/copy/digest.js';
import { copyForIdentity } from '../../flows/effects.js';
import type { DeliveryContext, DigestSettings } from './types.js';

/** When the outbox sends waiting notices as one digest (`OUTBOX_DIGEST_THRESHOLD`). */

/** A head that waited this long (ms) is worth checking for a backlog behind it, even as a job's first row. */
const WAITED_MS = 1000;
const DEFAULT_MAX_ROWS = 60;
/** Codes per row of buttons. */
const CODES_PER_ROW = 4;

/** Could this row travel in a digest (a notice about an inquiry that stands alone)? */
export function isDigestible(row: OutboxRow): boolean {
  return row.ref_kind === 'staff_notice' && row.inquiry_id !== null && row.attachments === null
    && row.reply_to_outbox_id === null && row.parts_sent === 0;
}

/**
 * Called with the chat's head just claimed: when at least `threshold` digestible notices wait for
 * the chat (the head among them), replaces them with one digest row, atomically (see
 * `replaceWithDigest`), and returns true; the drain then goes on with the chat's next head. Counts
 * only when a backlog is likely (`backlog`: this job already sent a row of the chat, or the head
 * waited), so an ordinary notice costs no extra statement.
 */
export async function tryDigest(ctx: DeliveryContext, settings: DigestSettings, chat: OutboxChat, head: OutboxRow, backlog: boolean): Promise<boolean> {
  if (settings.threshold <= 0 || !isDigestible(head)) return false;
  const waited = ctx.clock.now().getTime() - Date.parse(head.created_at) >= WAITED_MS;
  if (!backlog && !waited) return false;
  if ((await countDigestible(ctx.db, chat, settings.threshold)) < settings.threshold) return false;
  const made = await replaceWithDigest(ctx.db, {
    chat, owner: ctx.lease.owner, headId: head.id, minRows: settings.threshold, maxRows: settings.maxRows ?? DEFAULT_MAX_ROWS,
  }, (first, items, tx) => digestRow(ctx, first, items, tx));
  if (made) ctx.logger.info({ chatId: chat.chatId, platform: chat.platform, digestId: made.digestId, carried: made.carried.length }, 'outbox: waiting notices sent as one digest');
  return made !== undefined;
}

async function digestRow(ctx: DeliveryContext, head: OutboxRow, items: readonly DigestItem[], tx: Db): Promise<NewOutboxRow> {
  const t = await copyForIdentity(tx, head.identity_id, ctx.defaultLocale);
  const buttons: Button[][] = rows(items.map((i) => btn(i.code, A.digestOpen, i.outboxId)), CODES_PER_ROW);
  return {
    queue: head.queue, identity_id: head.identity_id, platform: head.platform, chat_id: head.chat_id,
    text: digestText(t.locale === 'en' ? 'en' : 'vi', items), buttons: JSON.stringify(buttons),
    reply_to_message_id: null, reply_to_outbox_id: null, inquiry_id: null, ref_kind: null, ref_person_id: head.ref_person_id,
    report_unreachable: head.report_unreachable, status: 'pending', attempts: 0, parts_sent: 0, sent_message_id: null,
    sent_message_ids: null, last_error: null, created_at: ctx.clock.now().toISOString(), sent_at: null,
  };
}
