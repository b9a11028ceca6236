import type { Db } from '../../db/client.js';
import type { IsoDate, IsoInstant, NoticeAudience } from '../../db/schema.js';
import { attachFiles } from '../../db/repositories/attachments.js';
import { resolveAudience, type ResolvedAudience } from './audience.js';
import { countPendingByPlatform, insertRecipients } from './store.js';

/** A notice's content. */
export interface NoticeContent {
  title: string;
  body: string;
  link: string | null;
  /** Stored files that go with it (ids), sent after its text. */
  files?: readonly number[];
}

/** A saved draft and what its preview shows. */
export interface Draft {
  id: number;
  perChannel: Array<{ platform: string; n: number }>;
  unreachable: number;
  notJoined: number;
}

/**
 * Resolves the audience and saves a draft with one delivery row per recipient (so what is
 * previewed is exactly what is sent). Returns the refusal instead when the audience is unusable.
 */
export async function saveDraft(
  db: Db, content: NoticeContent, audience: NoticeAudience,
  o: { scope: readonly number[] | null; today: IsoDate; nowIso: IsoInstant; createdBy: number | null },
): Promise<Draft | { refused: 'unknown_orgs' | 'out_of_scope' | 'empty'; codes: string[]; resolved: ResolvedAudience }> {
  const resolved = await resolveAudience(db, audience, o.scope, o.today);
  if (resolved.unknownOrgCodes.length > 0) return { refused: 'unknown_orgs', codes: resolved.unknownOrgCodes, resolved };
  if (resolved.outOfScope.length > 0) return { refused: 'out_of_scope', codes: resolved.outOfScope, resolved };
  if (resolved.recipients.length === 0) return { refused: 'empty', codes: [], resolved };
  const inserted = await db.insertInto('notices').values({
    title: content.title, body: content.body, link: content.link, audience: JSON.stringify(audience),
    created_by_person_id: o.createdBy, status: 'draft', confirmed_at: null, finished_at: null,
    progress_identity_id: null, progress_message_id: null, progress_outbox_id: null, parent_id: null,
    remind_at: null, reminded_at: null, created_at: o.nowIso, updated_at: o.nowIso,
  }).returning('id').executeTakeFirstOrThrow();
  await insertRecipients(db, inserted.id, resolved.recipients, o.nowIso);
  if (content.files?.length) await attachFiles(db, content.files, { noticeId: inserted.id, senderPersonId: o.createdBy, senderIdentityId: null });
  const count = (s: string) => resolved.recipients.filter((r) => r.status === s).length;
  return { id: inserted.id, perChannel: await countPendingByPlatform(db, inserted.id), unreachable: count('unreachable'), notJoined: count('not_joined') };
}

/**
 * Confirms a draft: it becomes `sending` (the workers deliver it once its jobs are queued).
 * `progressIdentityId`: the chat that gets the progress message. False when not a draft any more.
 */
export async function confirmDraft(db: Db, id: number, nowIso: IsoInstant, progressIdentityId: number | null): Promise<boolean> {
  const r = await db.updateTable('notices')
    .set({ status: 'sending', confirmed_at: nowIso, progress_identity_id: progressIdentityId, updated_at: nowIso })
    .where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Cancels a draft; false when not a draft any more. */
export async function cancelDraft(db: Db, id: number, nowIso: IsoInstant): Promise<boolean> {
  const r = await db.updateTable('notices').set({ status: 'cancelled', updated_at: nowIso })
    .where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
