import type { ChatAdapter } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import { findAttachments } from '../../db/repositories/attachments.js';
import { findIdentity } from '../../db/repositories/identities.js';
import type { OutboxRow } from '../../db/schema.js';
import type { Copy } from '../../flows/copy/index.js';
import { deliverableFiles, type DeliverableFiles, type FileDelivery } from '../files/deliverable.js';

/** How the outbox turns a row's stored files into parts or links (built once by the composition root). */
export type OutboxFiles = FileDelivery;

/**
 * The files of an outbox row as this adapter takes them: those that fit its declared limits go as
 * file parts; the others become lines of text with a signed, expiring link (the same text on
 * every attempt: the expiry counts from the row's creation, so parts resume cleanly).
 */
export async function rowFiles(
  db: Db, files: OutboxFiles | undefined, adapter: ChatAdapter, row: OutboxRow, copy: () => Promise<Copy>,
): Promise<DeliverableFiles> {
  const ids = row.attachments ? (JSON.parse(row.attachments) as unknown[]).filter((id): id is number => typeof id === 'number') : [];
  if (ids.length === 0) return { files: [], linkLines: [] };
  const rows = await findAttachments(db, ids);
  const personId = (await findIdentity(db, row.identity_id))?.person_id ?? null;
  const t = await copy();
  return deliverableFiles(adapter, rows, files, personId, row.created_at, () => t);
}
