import type { Db } from '../client.js';
import type { IsoInstant } from '../schema.js';

/** The one ZNS notification per held outbox row (primary key on the outbox id). */

/** Claims the ZNS send of a held outbox row; true for the one caller (of any process) that did. */
export async function claimZnsSend(db: Db, outboxId: number, nowIso: IsoInstant): Promise<boolean> {
  const claimed = await db.insertInto('zalo_oa_zns_sends')
    .values({ outbox_id: outboxId, status: 'sending', zalo_msg_id: null, error: null, created_at: nowIso })
    .onConflict((oc) => oc.column('outbox_id').doNothing()).executeTakeFirst();
  return Number(claimed.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The claimed ZNS send went out as Zalo message `zaloMsgId`. */
export async function markZnsSent(db: Db, outboxId: number, zaloMsgId: string): Promise<void> {
  await db.updateTable('zalo_oa_zns_sends').set({ status: 'sent', zalo_msg_id: zaloMsgId }).where('outbox_id', '=', outboxId).execute();
}

/** The claimed ZNS send failed (`error` already scrubbed); it is not retried. */
export async function markZnsFailed(db: Db, outboxId: number, error: string): Promise<void> {
  await db.updateTable('zalo_oa_zns_sends').set({ status: 'failed', error }).where('outbox_id', '=', outboxId).execute();
}
