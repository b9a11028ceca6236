import { UnreachableError } from '../../adapters/types.js';
import { REASON_NO_ZALO_ACCOUNT } from '../../adapters/zalo-oa/index.js';
import type { Db } from '../../db/client.js';
import type { OutboxRow } from '../../db/schema.js';
import type { Logger } from '../logger.js';
import { describeError } from './error-text.js';

/** What {@link createZnsNotifier} needs. */
export interface ZnsNotifierOptions {
  db: Db;
  templateId: string;
  /** Sends one ZNS template message (the OA adapter's `sendTemplate`). */
  send(request: { phone: string; templateId: string; templateData: Record<string, string>; trackingId: string }): Promise<string>;
  now(): Date;
  logger: Logger;
  scrub(text: string): string;
}

/**
 * For the dispatcher's `onHeld`: when an answer is held because the reporter's Zalo window closed,
 * sends one ZNS template ("your answer to <code> is ready; message the OA to read it") to the
 * reporter's phone. Once per held row, across processes and re-holds (primary key on the outbox id);
 * nothing when the person has no phone. Template parameter: `inquiry_code`.
 */
export function createZnsNotifier(o: ZnsNotifierOptions): (row: OutboxRow) => Promise<void> {
  return async (row) => {
    if (row.ref_kind !== 'answer' || row.platform !== 'zalo_oa') return;
    const person = await o.db.selectFrom('identities').innerJoin('persons', 'persons.id', 'identities.person_id')
      .select(['persons.phone']).where('identities.id', '=', row.identity_id).executeTakeFirst();
    if (!person?.phone) return;
    const inquiry = row.inquiry_id === null ? undefined
      : await o.db.selectFrom('inquiries').select('code').where('id', '=', row.inquiry_id).executeTakeFirst();
    const claimed = await o.db.insertInto('zalo_oa_zns_sends')
      .values({ outbox_id: row.id, status: 'sending', zalo_msg_id: null, error: null, created_at: o.now().toISOString() })
      .onConflict((oc) => oc.column('outbox_id').doNothing()).executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return;
    try {
      const msgId = await o.send({ phone: person.phone, templateId: o.templateId, templateData: { inquiry_code: inquiry?.code ?? '' }, trackingId: `outbox-${row.id}` });
      await o.db.updateTable('zalo_oa_zns_sends').set({ status: 'sent', zalo_msg_id: msgId }).where('outbox_id', '=', row.id).execute();
      o.logger.info({ outboxId: row.id }, 'zalo-oa: ZNS "answer ready" sent for a held answer');
    } catch (err) {
      const error = describeError(err, o.scrub);
      await o.db.updateTable('zalo_oa_zns_sends').set({ status: 'failed', error }).where('outbox_id', '=', row.id).execute();
      if (err instanceof UnreachableError && err.reason === REASON_NO_ZALO_ACCOUNT) {
        o.logger.warn({ outboxId: row.id }, 'zalo-oa: ZNS cannot reach the reporter: their phone number has no Zalo account (Zalo -118); the answer stays held');
      } else {
        o.logger.warn({ outboxId: row.id, error }, 'zalo-oa: ZNS notification failed (not retried; the answer stays held)');
      }
    }
  };
}
