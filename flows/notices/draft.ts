import type { Db } from '../../db/client.js';
import type { IsoDate, IsoInstant, NoticeAudience } from '../../db/schema.js';
import { attachFiles } from '../../db/repositories/attachments.js';
import { resolveAudience, type ResolvedAudience } from './audience.js';
import { countPendingByPlatform, insertRecipients } from '../../db/repositories/notices.js';
import { insertNotice } from '../../db/repositories/notices-write.js';

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
  const noticeId = await insertNotice(db, {
    title: content.title, body: content.body, link: content.link, audience: JSON.stringify(audience),
    created_by_person_id: o.createdBy, status: 'draft', confirmed_at: null, finished_at: null,
    progress_identity_id: null, progress_message_id: null, progress_outbox_id: null, parent_id: null,
    remind_at: null, reminded_at: null, created_at: o.nowIso, updated_at: o.nowIso,
  });
  await insertRecipients(db, noticeId, resolved.recipients, o.nowIso);
  if (content.files?.length) await attachFiles(db, content.files, { noticeId, senderPersonId: o.createdBy, senderIdentityId: null });
  const count = (s: string) => resolved.recipients.filter((r) => r.status === s).length;
  return { id: noticeId, perChannel: await countPendingByPlatform(db, noticeId), unreachable: count('unreachable'), notJoined: count('not_joined') };
}
