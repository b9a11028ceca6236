import { sql } from 'kysely';
import type { Db } from '../client.js';

/** Starts following inquiry `inquiryId`; false when the person already follows it. */
export async function follow(db: Db, personId: number, inquiryId: number, nowIso: string): Promise<boolean> {
  const r = await db.insertInto('inquiry_followers').values({ person_id: personId, inquiry_id: inquiryId, created_at: nowIso, notified_at: null })
    .onConflict((oc) => oc.columns(['inquiry_id', 'person_id']).doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/**
 * A merge: the followers of inquiry `fromId` follow `toId` instead (its outcome is theirs now),
 * except `exceptPersonId` (the kept question's own reporter, told in their thread anyway) and
 * those who already follow it. Returns how many moved.
 */
export async function moveFollowers(db: Db, fromId: number, toId: number, exceptPersonId: number, nowIso: string): Promise<number> {
  const r = await db.insertInto('inquiry_followers').columns(['person_id', 'inquiry_id', 'created_at', 'notified_at'])
    .expression(db.selectFrom('inquiry_followers').select((eb) => ['person_id', eb.val(toId).as('inquiry_id'), eb.val(nowIso).as('created_at'), eb.val(null).as('notified_at')])
      .where('inquiry_id', '=', fromId).where('person_id', '!=', exceptPersonId))
    .onConflict((oc) => oc.columns(['inquiry_id', 'person_id']).doNothing()).executeTakeFirst();
  await db.deleteFrom('inquiry_followers').where('inquiry_id', '=', fromId).execute();
  return Number(r.numInsertedOrUpdatedRows ?? 0n);
}

/** Stops following; false when the person did not follow it. */
export async function unfollow(db: Db, personId: number, inquiryId: number): Promise<boolean> {
  const r = await db.deleteFrom('inquiry_followers').where('person_id', '=', personId).where('inquiry_id', '=', inquiryId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/**
 * The followers of inquiry `inquiryId` not yet told of the outcome at instant `atIso`, each
 * claimed (its `notified_at` set to `atIso`) by a conditional update: called inside the
 * answering transaction, so each follower is sent each outcome once, even if the flow is replayed.
 */
export async function claimFollowers(db: Db, inquiryId: number, atIso: string): Promise<number[]> {
  const rows = await db.selectFrom('inquiry_followers').select('person_id').where('inquiry_id', '=', inquiryId)
    .where((eb) => eb.or([eb('notified_at', 'is', null), eb('notified_at', '<', atIso)])).orderBy('person_id').execute();
  const claimed: number[] = [];
  for (const { person_id } of rows) {
    const r = await db.updateTable('inquiry_followers').set({ notified_at: atIso })
      .where('inquiry_id', '=', inquiryId).where('person_id', '=', person_id)
      .where((eb) => eb.or([eb('notified_at', 'is', null), eb('notified_at', '<', atIso)])).executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) claimed.push(Number(person_id));
  }
  return claimed;
}

/** How many people follow the inquiry (for tests and the coordinator's view). */
export async function followerCount(db: Db, inquiryId: number): Promise<number> {
  const r = await db.selectFrom('inquiry_followers').select(sql<number>`count(*)`.as('n')).where('inquiry_id', '=', inquiryId).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Does person `personId` follow inquiry `inquiryId`? */
export async function isFollowing(db: Db, personId: number, inquiryId: number): Promise<boolean> {
  const r = await db.selectFrom('inquiry_followers').select('person_id').where('person_id', '=', personId).where('inquiry_id', '=', inquiryId).executeTakeFirst();
  return r !== undefined;
}

/** Which of `personIds` follow which of `inquiryIds`, in one statement: `<personId>:<inquiryId>` keys. */
export async function followsAmong(db: Db, personIds: readonly number[], inquiryIds: readonly number[]): Promise<Set<string>> {
  if (personIds.length === 0 || inquiryIds.length === 0) return new Set();
  const rows = await db.selectFrom('inquiry_followers').select(['person_id', 'inquiry_id'])
    .where('person_id', 'in', [...personIds]).where('inquiry_id', 'in', [...inquiryIds]).execute();
  return new Set(rows.map((r) => `${Number(r.person_id)}:${Number(r.inquiry_id)}`));
}
