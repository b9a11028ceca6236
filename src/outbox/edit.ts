import { splitText, type ChatAdapter, type Button } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import { findOutbox } from '../../db/repositories/outbox.js';
import type { OutboxRow } from '../../db/schema.js';

/**
 * An edit row (`edit_of_outbox_id`: a correction, or a picker's new keyboard): edits the message its
 * target row delivered, in place — only its buttons when the text stays the same —
 * when the platform edits messages and both texts fit one message. Returns the edited message's
 * id, or undefined when it cannot be edited in place — the row is then sent as an ordinary
 * message (its `text`), replying to the target. Editing again to the same text is harmless (the
 * Telegram adapter treats "not modified" as done), so a send interrupted after the edit and
 * retried changes nothing twice.
 * @throws {ChatError} from the adapter.
 */
export async function editInPlace(db: Db, adapter: ChatAdapter, row: OutboxRow, buttons: Button[][] | undefined): Promise<string | undefined> {
  if (row.edit_of_outbox_id === null || row.edit_text === null || !adapter.edit || !adapter.capabilities.edits) return undefined;
  const target = await findOutbox(db, row.edit_of_outbox_id);
  if (target?.status !== 'sent' || target.chat_id !== row.chat_id || target.platform !== row.platform) return undefined;
  const messageId = firstMessageId(target);
  const max = adapter.capabilities.maxTextLength;
  // A message sent in several parts cannot become one by editing its first.
  if (!messageId || splitText(target.text, max).length > 1 || splitText(row.edit_text, max).length > 1) return undefined;
  // The same text with other buttons (a page of choices turning, a tick): only the keyboard changes.
  if (row.edit_text === target.text && adapter.editButtons) await adapter.editButtons(row.chat_id, messageId, buttons ?? []);
  else await adapter.edit(row.chat_id, messageId, { text: row.edit_text, ...(buttons ? { buttons } : {}) });
  return messageId;
}

/** The id of the text part a row delivered (its first part). */
function firstMessageId(row: OutboxRow): string | undefined {
  if (row.sent_message_ids) {
    const ids: unknown = JSON.parse(row.sent_message_ids);
    if (Array.isArray(ids) && ids.length > 0) return String(ids[0]);
  }
  return row.sent_message_id ?? undefined;
}
