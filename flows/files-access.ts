import { findPerson, rolesOf } from '../db/repositories/directory.js';
import { isNoticeRecipient } from '../db/repositories/attachments.js';
import { findInquiry, listMergedInto } from '../db/repositories/inquiries.js';
import type { Attachment, IsoDate } from '../db/schema.js';
import { canSpeakFor, coordinates } from './roles.js';
import { correctionOfLetter } from '../db/repositories/press-records.js';
import { listOrgEntries } from '../db/repositories/stats-figures.js';
import { letterRef } from './corrections/correction.js';
import { agencyIds, statsScope } from './stats/scope.js';

/**
 * May `personId` fetch this file now? Checked on every download (a signed link only says who it
 * was made for; roles change): its sender; for an inquiry's file, the inquiry's reporter (and
 * reporters of inquiries merged into it), a spokesperson who speaks for its agency or case, and
 * a coordinator whose scope covers it; for a notice's file, its recipients; for a correction
 * request's official letter, whoever may see that agency's figures (admins, leaders and
 * coordinators in scope, its head) and its regular spokespersons. A quarantined file: nobody.
 */
export async function mayFetchFile(db: Parameters<typeof findInquiry>[0], personId: number, file: Attachment, today: IsoDate): Promise<boolean> {
  if (file.status !== 'stored') return false;
  if (file.sender_person_id === personId) return true;
  if (file.notice_id !== null) return isNoticeRecipient(db, file.notice_id, personId);
  if (file.inquiry_id === null) return mayFetchLetter(db, personId, file, today);
  const inquiry = await findInquiry(db, file.inquiry_id);
  if (!inquiry) return false;
  if (inquiry.reporter_person_id === personId) return true;
  if ((await listMergedInto(db, inquiry.id)).some((m) => m.reporter_person_id === personId)) return true;
  if (!(await findPerson(db, personId))) return false;
  const actor = { roles: await rolesOf(db, personId, today) };
  return (await canSpeakFor(db, actor, inquiry)) || (await coordinates(db, actor, inquiry.org_id ?? inquiry.suggested_org_id));
}

/** A correction request's letter: the agency's regular spokespersons and head, and whoever's figures cover the agency. */
async function mayFetchLetter(db: Parameters<typeof findInquiry>[0], personId: number, file: Attachment, today: IsoDate): Promise<boolean> {
  const request = await correctionOfLetter(db, letterRef(file.id));
  if (!request) return false;
  const roles = (await rolesOf(db, personId, today)).filter((r) => r.status === 'active');
  if (roles.some((r) => r.role === 'spokesperson' && r.kind !== 'authorised' && r.org_id === request.org_id)) return true;
  const ids = agencyIds(statsScope(roles), await listOrgEntries(db));
  return ids === null || (ids?.includes(request.org_id) ?? false);
}
