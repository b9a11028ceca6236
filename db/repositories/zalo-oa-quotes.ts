import type { Db } from '../client.js';

/**
 * The question a Zalo OA user asked with message `messageId` in chat `chatId`, for an answer that
 * must quote it in text (Zalo refused the native quote). Undefined when that message started no
 * inquiry.
 */
export async function findZaloOaQuestionText(db: Db, chatId: string, messageId: string): Promise<string | undefined> {
  const row = await db.selectFrom('inquiries')
    .innerJoin('identities', 'identities.id', 'inquiries.reporter_identity_id')
    .select('inquiries.question')
    .where('identities.platform', '=', 'zalo_oa')
    .where('inquiries.origin_chat_id', '=', chatId)
    .where('inquiries.origin_message_id', '=', messageId)
    .executeTakeFirst();
  return row?.question;
}
