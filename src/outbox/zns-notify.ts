import { UnreachableError } from '../../adapters/types.js';
import { REASON_NO_ZALO_ACCOUNT } from '../../adapters/zalo-oa/index.js';
import type { Db } from '../../db/client.js';
import { findPhoneOfIdentity } from '../../db/repositories/identities.js';
import { findInquiry } from '../../db/repositories/inquiries.js';
import { claimZnsSend, markZnsFailed, markZnsSent } from '../../db/repositories/zalo-oa-zns.js';
import type { OutboxRow } from '../../db/schema.js';
import type { Logger } from '../logger.js';
import { describeError } from '../delivery/error-text.js';

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
    const phone = await findPhoneOfIdentity(o.db, row.identity_id);
    if (!phone) return;
    const inquiry = row.inquiry_id === null ? undefined : await findInquiry(o.db, row.inquiry_id);
    if (!(await claimZnsSend(o.db, row.id, o.now().toISOString()))) return;
    try {
      const msgId = await o.send({ phone, templateId: o.templateId, templateData: { inquiry_code: inquiry?.code ?? '' }, trackingId: `outbox-${row.id}` });
      await markZnsSent(o.db, row.id, msgId);
      o.logger.info({ outboxId: row.id }, 'zalo-oa: ZNS "answer ready" sent for a held answer');
    } catch (err) {
      const error = describeError(err, o.scrub);
      await markZnsFailed(o.db, row.id, error);
      if (err instanceof UnreachableError && err.reason === REASON_NO_ZALO_ACCOUNT) {
        o.logger.warn({ outboxId: row.id }, 'zalo-oa: ZNS cannot reach the reporter: their phone number has no Zalo account (Zalo -118); the answer stays held');
      } else {
        o.logger.warn({ outboxId: row.id, error }, 'zalo-oa: ZNS notification failed (not retried; the answer stays held)');
      }
    }
  };
}
