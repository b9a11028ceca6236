import type { Db } from '../../db/client.js';
import { claimReminder, findNotice, insertRecipients, listUnacked } from '../../db/repositories/notices.js';
import { insertNotice, markUnackedReminded } from '../../db/repositories/notices-write.js';

/**
 * The one reminder of a notice: a child notice (same text, `parent_id` set) to every delivered
 * recipient who has not acknowledged; its button acknowledges the parent. Returns the child's id
 * to start, or nothing (already reminded, nobody left, or the notice is gone).
 */
export async function remindNotice(db: Db, noticeId: number, now: Date): Promise<number[]> {
  const nowIso = now.toISOString();
  return db.transaction().execute(async (tx) => {
    const notice = await findNotice(tx, noticeId);
    if (!notice || notice.parent_id !== null || !(await claimReminder(tx, noticeId, nowIso))) return [];
    const unacked = await listUnacked(tx, noticeId);
    if (unacked.length === 0) return [];
    const childId = await insertNotice(tx, {
      title: notice.title, body: notice.body, link: notice.link, audience: notice.audience, created_by_person_id: notice.created_by_person_id,
      status: 'sending', confirmed_at: nowIso, finished_at: null, progress_identity_id: null, progress_message_id: null,
      progress_outbox_id: null, parent_id: notice.id, remind_at: null, reminded_at: null, created_at: nowIso, updated_at: nowIso,
    });
    await insertRecipients(tx, childId, unacked.map((r) => ({
      personId: r.person_id, orgId: r.org_id, identityId: r.identity_id, platform: r.platform, chatId: r.chat_id, status: 'pending' as const,
    })), nowIso);
    await markUnackedReminded(tx, noticeId, nowIso);
    return [childId];
  });
}
