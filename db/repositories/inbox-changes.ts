import { sql } from 'kysely';
import type { Db } from '../client.js';

/** One row of `inbox_changes`: what changed, and what a reader's scope is matched against. */
export interface InboxChangeRow {
  id: number;
  /** Null: the reporter registrations waiting for verification changed. */
  inquiryId: number | null;
  agencyId: number | null;
  reporterPersonId: number | null;
  /** Set: this person read the inquiry's thread (it concerns their pages only). */
  readerPersonId: number | null;
  /** Set: this person started or stopped following the inquiry (it concerns their pages only). */
  followerPersonId: number | null;
}

/** The newest change's id (0: none). */
export async function lastInboxChange(db: Db): Promise<number> {
  const row = await db.selectFrom('inbox_changes').select(sql<number | null>`max(id)`.as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** Changes with id > `afterId`, in id order, at most `limit`. */
export async function inboxChangesAfter(db: Db, afterId: number, limit: number): Promise<InboxChangeRow[]> {
  const rows = await db.selectFrom('inbox_changes').select(['id', 'inquiry_id', 'agency_id', 'reporter_person_id', 'reader_person_id', 'follower_person_id'])
    .where('id', '>', afterId).orderBy('id').limit(limit).execute();
  return rows.map((r) => ({
    id: Number(r.id), inquiryId: r.inquiry_id === null ? null : Number(r.inquiry_id),
    agencyId: r.agency_id === null ? null : Number(r.agency_id), reporterPersonId: r.reporter_person_id === null ? null : Number(r.reporter_person_id),
    readerPersonId: r.reader_person_id === null ? null : Number(r.reader_person_id),
    followerPersonId: r.follower_person_id === null ? null : Number(r.follower_person_id),
  }));
}

/**
 * `personId` read inquiry `inquiryId`'s thread (their read marker moved): their other open pages,
 * in any tab, device or process, reload their unread counts.
 */
export async function recordRead(db: Db, personId: number, inquiryId: number): Promise<void> {
  await db.insertInto('inbox_changes').values({ inquiry_id: inquiryId, agency_id: null, reporter_person_id: null, reader_person_id: personId }).execute();
}
