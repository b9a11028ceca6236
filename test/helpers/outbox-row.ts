import type { NewOutboxRow } from '../../db/schema.js';

/** A plain pending Telegram message to `chatId` of identity `identityId`, created `at` (no inquiry, no files). */
export function pendingOutboxRow(chatId: string, identityId: number, at: string, text = 'Câu hỏi mới'): NewOutboxRow {
  return {
    queue: 'outbox', identity_id: identityId, platform: 'telegram', chat_id: chatId, text, masked_text: null, secrets: null, buttons: null,
    reply_to_message_id: null, reply_to_outbox_id: null, edit_of_outbox_id: null, edit_text: null, inquiry_id: null, ref_kind: null,
    ref_person_id: null, report_unreachable: 0, status: 'pending', attempts: 0, parts_sent: 0, sent_message_id: null, sent_message_ids: null,
    last_error: null, created_at: at, sent_at: null, attachments: null,
  };
}
