import type { Platform } from '../../adapters/types.js';
import type { Db } from '../client.js';
import type { Attachment, AttachmentKind, AttachmentStatus, EntryKind } from '../schema.js';

/** A file to record (its bytes are already in the blob store under `blobKey`). */
export interface NewAttachment {
  sha256: string;
  sizeBytes: number;
  mimeType: string;
  kind: AttachmentKind;
  name: string;
  blobKey: string;
  status: AttachmentStatus;
  sourceKey: string;
  senderIdentityId?: number | null;
  createdAt: string;
}

/**
 * Records a stored file once per `sourceKey` and returns the row (the earlier one when this
 * source was stored before: an event processed again after a crash).
 */
export async function insertAttachment(db: Db, a: NewAttachment): Promise<Attachment> {
  await db.insertInto('attachments').values({
    sha256: a.sha256, size_bytes: a.sizeBytes, mime_type: a.mimeType, kind: a.kind, name: a.name, blob_key: a.blobKey,
    status: a.status, source_key: a.sourceKey, sender_person_id: null, sender_identity_id: a.senderIdentityId ?? null,
    inquiry_id: null, entry_id: null, notice_id: null, created_at: a.createdAt,
  }).onConflict((oc) => oc.column('source_key').doNothing()).execute();
  return db.selectFrom('attachments').selectAll().where('source_key', '=', a.sourceKey).executeTakeFirstOrThrow();
}

export async function findAttachmentBySource(db: Db, sourceKey: string): Promise<Attachment | undefined> {
  return db.selectFrom('attachments').selectAll().where('source_key', '=', sourceKey).executeTakeFirst();
}

export async function findAttachment(db: Db, id: number): Promise<Attachment | undefined> {
  return db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The rows of `ids`, in the order given (missing ones left out). */
export async function findAttachments(db: Db, ids: readonly number[]): Promise<Attachment[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('attachments').selectAll().where('id', 'in', [...ids]).execute();
  return ids.flatMap((id) => rows.filter((r) => r.id === id));
}

/**
 * Attaches stored files to an inquiry (and the entry that carries them) or a notice, naming who
 * sent them. Only files not attached elsewhere yet change: a file belongs to one inquiry.
 * Returns how many were attached.
 */
export async function attachFiles(
  db: Db, ids: readonly number[], to: { inquiryId?: number; entryId?: number; noticeId?: number; senderPersonId: number | null; senderIdentityId: number | null },
): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db.updateTable('attachments').set({
    inquiry_id: to.inquiryId ?? null, entry_id: to.entryId ?? null, notice_id: to.noticeId ?? null,
    sender_person_id: to.senderPersonId, sender_identity_id: to.senderIdentityId,
  }).where('id', 'in', [...ids]).where('inquiry_id', 'is', null).where('notice_id', 'is', null).where('status', '=', 'stored').executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** A file of an inquiry's record, with who sent it and in which entry. */
export interface InquiryFileLine extends Attachment {
  sender_name: string | null;
  entry_kind: string | null;
}

/** Every file of an inquiry, oldest first, with the sender's name and the kind of entry it came with. */
export async function listInquiryFiles(db: Db, inquiryId: number): Promise<InquiryFileLine[]> {
  return db.selectFrom('attachments')
    .leftJoin('persons', 'persons.id', 'attachments.sender_person_id')
    .leftJoin('inquiry_entries', 'inquiry_entries.id', 'attachments.entry_id')
    .selectAll('attachments').select(['persons.full_name as sender_name', 'inquiry_entries.kind as entry_kind'])
    .where('attachments.inquiry_id', '=', inquiryId).orderBy('attachments.id').execute();
}

/** Of `inquiryIds`, those whose answer (or decline) carries at least one file. */
export async function inquiriesWithAnswerFiles(db: Db, inquiryIds: readonly number[]): Promise<Set<number>> {
  if (inquiryIds.length === 0) return new Set();
  const rows = await db.selectFrom('attachments').innerJoin('inquiry_entries', 'inquiry_entries.id', 'attachments.entry_id')
    .select('attachments.inquiry_id').distinct()
    .where('attachments.inquiry_id', 'in', [...inquiryIds]).where('inquiry_entries.kind', 'in', ['answer', 'decline']).execute();
  return new Set(rows.flatMap((r) => (r.inquiry_id === null ? [] : [r.inquiry_id])));
}

/** The id a platform gave bytes we uploaded to `account` (a bot), if any. */
export async function findPlatformFile(db: Db, platform: Platform, account: string, sha256: string): Promise<string | undefined> {
  const row = await db.selectFrom('platform_files').select('file_id')
    .where('platform', '=', platform).where('account', '=', account).where('sha256', '=', sha256).executeTakeFirst();
  return row?.file_id;
}

/** Remembers the platform's id for uploaded bytes (the first one recorded wins). */
export async function savePlatformFile(db: Db, platform: Platform, account: string, sha256: string, fileId: string, nowIso: string): Promise<void> {
  await db.insertInto('platform_files').values({ platform, account, sha256, file_id: fileId, created_at: nowIso })
    .onConflict((oc) => oc.columns(['platform', 'account', 'sha256']).doNothing()).execute();
}

/** The ids of the stored files attached to an inquiry's entries of `kind` (its question's files, say), oldest first. */
export async function entryAttachmentIds(db: Db, inquiryId: number, kind: EntryKind): Promise<number[]> {
  const rows = await db.selectFrom('attachments').innerJoin('inquiry_entries', 'inquiry_entries.id', 'attachments.entry_id')
    .select('attachments.id').where('attachments.inquiry_id', '=', inquiryId).where('inquiry_entries.kind', '=', kind)
    .where('attachments.status', '=', 'stored').orderBy('attachments.id').execute();
  return rows.map((r) => r.id);
}

/** Of outbox rows `ids`, the platform and the files of those that carry files. */
export async function outboxFiles(db: Db, ids: readonly number[]): Promise<Array<{ platform: Platform; files: number[] }>> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('outbox').select(['platform', 'attachments']).where('id', 'in', [...ids]).where('attachments', 'is not', null).execute();
  return rows.map((r) => ({ platform: r.platform, files: JSON.parse(r.attachments ?? '[]') as number[] }));
}

/** The person an identity belongs to (null: not linked, or no such identity). */
export async function personOfIdentity(db: Db, platform: Platform, platformUserId: string): Promise<number | null> {
  const row = await db.selectFrom('identities').select('person_id').where('platform', '=', platform).where('platform_user_id', '=', platformUserId).executeTakeFirst();
  return row?.person_id ?? null;
}

/** Of `ids`, the stored files whose source key starts with `prefix` (one person's web uploads), in the order given. */
export async function findUploadsBySourcePrefix(db: Db, prefix: string, ids: readonly number[]): Promise<Attachment[]> {
  return (await findAttachments(db, ids)).filter((a) => a.status === 'stored' && a.source_key.startsWith(prefix));
}

/** The stored files of a notice, oldest first (its decree, say). */
export async function findNoticeAttachments(db: Db, noticeId: number): Promise<Attachment[]> {
  return db.selectFrom('attachments').selectAll().where('notice_id', '=', noticeId).where('status', '=', 'stored').orderBy('id').execute();
}

/** Is `personId` a recipient of notice `noticeId` (or of a reminder of it)? */
export async function isNoticeRecipient(db: Db, noticeId: number, personId: number): Promise<boolean> {
  const row = await db.selectFrom('notice_recipients').innerJoin('notices', 'notices.id', 'notice_recipients.notice_id').select('notice_recipients.id')
    .where('notice_recipients.person_id', '=', personId)
    .where((eb) => eb.or([eb('notices.id', '=', noticeId), eb('notices.parent_id', '=', noticeId)])).limit(1).executeTakeFirst();
  return row !== undefined;
}
