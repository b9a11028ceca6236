import { fileFits, type ChatAdapter, type OutboundFile } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import { findAttachments } from '../../db/repositories/attachments.js';
import { findIdentity } from '../../db/repositories/identities.js';
import type { Attachment, OutboxRow } from '../../db/schema.js';
import type { Copy } from '../../flows/copy/index.js';

/** How the outbox turns a row's stored files into parts or links (built once by the composition root). */
export interface OutboxFiles {
  toOutbound(attachment: Attachment): OutboundFile;
  /** A signed download link to the web page for one person, valid until `expiresAtS` (epoch s); undefined without a public base URL. */
  link(attachmentId: number, personId: number, expiresAtS: number): string | undefined;
  /** How long links in messages work, from the row's creation, in ms. */
  linkTtlMs: number;
}

/**
 * The files of an outbox row as this adapter takes them: those that fit its declared limits go as
 * file parts; the others become lines of text with a signed, expiring link (the same text on
 * every attempt: the expiry counts from the row's creation, so parts resume cleanly).
 */
export async function rowFiles(
  db: Db, files: OutboxFiles | undefined, adapter: ChatAdapter, row: OutboxRow, copy: () => Promise<Copy>,
): Promise<{ files: OutboundFile[]; linkLines: string[] }> {
  const ids = row.attachments ? (JSON.parse(row.attachments) as unknown[]).filter((id): id is number => typeof id === 'number') : [];
  if (ids.length === 0) return { files: [], linkLines: [] };
  const rows = (await findAttachments(db, ids)).filter((a) => a.status === 'stored');
  const fits = (a: Attachment) => files !== undefined && fileFits(adapter.capabilities.files, { kind: a.kind, mimeType: a.mime_type, sizeBytes: a.size_bytes });
  const rest = rows.filter((a) => !fits(a));
  if (rest.length === 0) return { files: rows.map((a) => files!.toOutbound(a)), linkLines: [] };
  const t = await copy();
  const personId = (await findIdentity(db, row.identity_id))?.person_id ?? null;
  const expiresAtS = Math.floor((Date.parse(row.created_at) + (files?.linkTtlMs ?? 0)) / 1000);
  const linkLines = rest.map((a) => {
    const label = { name: a.name, sizeBytes: a.size_bytes };
    const url = files && personId !== null ? files.link(a.id, personId, expiresAtS) : undefined;
    return url ? t.files.linkLine(label, url, new Date(expiresAtS * 1000).toISOString()) : t.files.noLinkLine(label);
  });
  return { files: rows.filter(fits).map((a) => files!.toOutbound(a)), linkLines };
}
