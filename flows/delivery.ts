import type { Db } from '../db/client.js';
import { findPerson } from '../db/repositories/directory.js';
import { findIdentity } from '../db/repositories/identities.js';
import { findInquiry } from '../db/repositories/inquiries.js';
import type { OutboxRow } from '../db/schema.js';
import { createEffects } from './effects.js';
import { codeOf } from './inquiry/view.js';
import { allCoordinators, coordinatorsFor } from './roles.js';
import { localDate } from './copy/format.js';

/**
 * A message could not be delivered because its recipient is unreachable (blocked the bot, chat
 * gone): tell the coordinators responsible, in the caller's transaction. These notices are not
 * themselves reported when unreachable, so a blocked coordinator cannot start a loop.
 */
export async function reportUnreachable(db: Db, row: OutboxRow, reason: string, now: Date, defaultLocale: 'vi' | 'en'): Promise<number[]> {
  const nowIso = now.toISOString();
  const effects = createEffects(db, nowIso, defaultLocale, { personId: null, identityId: null });
  const identity = await findIdentity(db, row.identity_id);
  const person = identity?.person_id ? await findPerson(db, identity.person_id) : undefined;
  const inquiry = row.inquiry_id ? await findInquiry(db, row.inquiry_id) : undefined;
  const today = localDate(now);
  const coordinators = inquiry
    ? await coordinatorsFor(db, inquiry.org_id ?? inquiry.suggested_org_id, today)
    : await allCoordinators(db, today);
  const name = person?.full_name ?? identity?.display_name ?? `#${row.identity_id}`;
  await effects.audit('delivery.unreachable', 'identity', row.identity_id, null, { reason, outbox_id: row.id });
  for (const personId of coordinators.filter((c) => c !== person?.id)) {
    await effects.notifyPerson(personId, (t) => ({
      text: t.unreachableToCoordinator({ name, platform: row.platform, reason, ...(inquiry ? { code: codeOf(inquiry) } : {}) }),
    }), { reportUnreachable: false });
  }
  return effects.outboxIds;
}
