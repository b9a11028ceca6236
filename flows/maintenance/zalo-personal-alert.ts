import type { Db } from '../../db/client.js';
import type { Identity } from '../../db/schema.js';
import { localDate } from '../copy/format.js';
import { createEffects } from '../effects.js';

/**
 * The personal Zalo account needs a new QR scan: tells every active admin in chat, on a channel
 * other than the personal Zalo account (that one is down). At most once a local day (an audit
 * event marks it), so a crash-looping process does not flood the admins. Returns the outbox ids
 * to deliver. An admin with no other reachable channel is skipped (logged by the caller's count).
 * @param reason `session_expired`, `login_refused` or `no_credentials`.
 */
export async function alertZaloPersonalLogin(db: Db, now: Date, defaultLocale: 'vi' | 'en', reason: string): Promise<number[]> {
  const today = localDate(now);
  const done = await db.selectFrom('audit_events').select('id')
    .where('action', '=', 'zalo_personal.needs_login').where('entity_id', '=', today).executeTakeFirst();
  if (done) return [];
  const effects = createEffects(db, now.toISOString(), defaultLocale, { personId: null, identityId: null });
  await effects.audit('zalo_personal.needs_login', 'channel', today, null, { reason });
  const admins = await db.selectFrom('role_assignments').select('person_id').distinct()
    .where('role', '=', 'admin').where('status', '=', 'active').execute();
  for (const { person_id: personId } of admins) {
    const identity = await workingIdentity(db, personId);
    if (identity) await effects.sendTo(identity, (t) => ({ text: t.zaloPersonal.needsLogin(reason) }), { reportUnreachable: false });
  }
  return effects.outboxIds;
}

/** The admin's chosen channel unless it is the personal Zalo account; else their most recently used other one. */
async function workingIdentity(db: Db, personId: number): Promise<Identity | undefined> {
  const rows = await db.selectFrom('identities').selectAll()
    .where('person_id', '=', personId).where('platform', '!=', 'zalo_personal').execute();
  const score = (i: Identity) => (i.unreachable_at ? 0 : 2e15) + Number(i.preferred) * 1e15 + (i.last_inbound_at ? Date.parse(i.last_inbound_at) / 1000 : 0);
  return rows.sort((a, b) => score(b) - score(a))[0];
}
