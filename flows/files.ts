import { fileFits, type MessageEvent, type StoredFile } from '../adapters/types.js';
import { entryAttachmentIds, findAttachments, outboxFiles } from '../db/repositories/attachments.js';
import type { EntryKind } from '../db/schema.js';
import type { Db } from '../db/client.js';
import type { FlowContext } from './context.js';

/** The files of a message that were stored (refused ones are told by {@link tellRefusedFiles}). */
export function storedFiles(e: MessageEvent): StoredFile[] {
  return (e.files ?? []).flatMap((f) => (f.stored && 'attachmentId' in f.stored ? [f.stored] : []));
}

/** Tells the sender, file by file and in their language, why a file was not kept. Returns how many. */
export async function tellRefusedFiles(ctx: FlowContext, e: MessageEvent): Promise<number> {
  const limits = ctx.settings.fileLimits ?? { maxFileMb: 50, maxMessageMb: 100, maxFiles: 10 };
  let told = 0;
  for (const f of e.files ?? []) {
    if (!f.stored || !('refused' in f.stored)) continue;
    const reason = f.stored.refused;
    await ctx.effects.audit('file.refused', 'identity', ctx.actor.identity.id, null, { reason, kind: f.kind });
    await ctx.reply((t) => ({ text: t.files.refused({ name: f.name, kind: f.kind }, reason, { ...limits, platform: e.platform }), replyTo: e.messageId }));
    told += 1;
  }
  return told;
}

/** The ids of the stored files of an inquiry's entries of `kind` (its question's files, say). */
export function entryFileIds(db: Db, inquiryId: number, kind: EntryKind): Promise<number[]> {
  return entryAttachmentIds(db, inquiryId, kind);
}

/**
 * After a flow queued messages with files: tells the actor which of their files reach someone
 * as a download link because that person's channel cannot take them (too large, a type the
 * platform does not show). Once per file and platform; nothing is silently turned into a link.
 */
export async function tellLinkFallbacks(ctx: FlowContext, files: readonly StoredFile[]): Promise<void> {
  if (files.length === 0 || ctx.effects.outboxIds.length === 0) return;
  const rows = await outboxFiles(ctx.db, ctx.effects.outboxIds);
  const ids = new Set(files.map((f) => f.attachmentId));
  const told = new Set<string>();
  for (const row of rows) {
    const carried = row.files.filter((id) => ids.has(id));
    for (const file of files.filter((f) => carried.includes(f.attachmentId))) {
      const key = `${file.attachmentId}:${row.platform}`;
      if (told.has(key) || fileFits(ctx.settings.capabilities?.(row.platform)?.files, file)) continue;
      told.add(key);
      await ctx.reply((t) => ({ text: t.files.sentAsLink(file, row.platform) }));
    }
  }
}

/** Stored files by id (for messages built later in the flow). */
export async function loadStoredFiles(db: Db, ids: readonly number[]): Promise<StoredFile[]> {
  return (await findAttachments(db, ids)).filter((a) => a.status === 'stored').map((a) => ({
    attachmentId: a.id, name: a.name, mimeType: a.mime_type, sizeBytes: a.size_bytes, kind: a.kind,
  }));
}
