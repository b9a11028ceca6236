import type { Db } from '../client.js';
import type { ExtensionRequest } from '../schema.js';

/** A spokesperson's request to move an inquiry's due time. */
export interface NewExtensionRequest {
  inquiryId: number;
  requestedByPersonId: number | null;
  reason: string;
  /** ISO-8601 UTC instant. */
  proposedDueAt: string;
  nowIso: string;
}

/** Records a pending extension request; returns its id. */
export async function insertExtensionRequest(db: Db, r: NewExtensionRequest): Promise<number> {
  const row = await db.insertInto('extension_requests').values({
    inquiry_id: r.inquiryId, requested_by_person_id: r.requestedByPersonId, reason: r.reason, proposed_due_at: r.proposedDueAt,
    status: 'pending', decided_by_person_id: null, decided_at: null, created_at: r.nowIso,
  }).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function findExtensionRequest(db: Db, id: number): Promise<ExtensionRequest | undefined> {
  return db.selectFrom('extension_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Decides a request that is still pending; false when someone decided it first. */
export async function decideExtensionRequest(db: Db, id: number, approve: boolean, byPersonId: number | null, nowIso: string): Promise<boolean> {
  const r = await db.updateTable('extension_requests')
    .set({ status: approve ? 'approved' : 'rejected', decided_by_person_id: byPersonId, decided_at: nowIso })
    .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
