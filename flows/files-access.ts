import { findPerson, rolesOf } from '../db/repositories/directory.js';
import { isNoticeRecipient } from '../db/repositories/attachments.js';
import { findInquiry, listMergedInto } from '../db/repositories/inquiries.js';
import type { Attachment, IsoDate } from '../db/schema.js';
import { canSpeakFor, coordinates } from './roles.js';

/**
 * May `personId` fetch this file now? Checked on every download (a signed link only says who it
 * was made for; roles change): its sender; for an inquiry's file, the inquiry's reporter (and
 * reporters of inquiries merged into it), a spokesperson who speaks for its agency or case, and
 * a coordinator whose scope covers it; for a notice's file, its recipients. A quarantined file:
 * nobody.
 */
export async function mayFetchFile(db: Parameters<typeof findInquiry>[0], personId: number, file: Attachment, today: IsoDate): Promise<boolean> {
  if (file.status !== 'stored') return false;
  if (file.sender_person_id === personId) return true;
  if (file.notice_id !== null) return isNoticeRecipient(db, file.notice_id, personId);
  if (file.inquiry_id === null) return false;
  const inquiry = await findInquiry(db, file.inquiry_id);
  if (!inquiry) return false;
  if (inquiry.reporter_person_id === personId) return true;
  if ((await listMergedInto(db, inquiry.id)).some((m) => m.reporter_person_id === personId)) return true;
  if (!(await findPerson(db, personId))) return false;
  const actor = { roles: await rolesOf(db, personId, today) };
  return (await canSpeakFor(db, actor, inquiry)) || (await coordinates(db, actor, inquiry.org_id ?? inquiry.suggested_org_id));
}
