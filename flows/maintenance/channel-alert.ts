import { truncateText, type Platform } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import { auditEventExists } from '../../db/repositories/audit.js';
import { activeRoleHolderIds, preferredIdentity } from '../../db/repositories/directory.js';
import type { Copy } from '../copy/index.js';
import { localDate } from '../copy/format.js';
import { createEffects } from '../effects.js';

/** A channel that stopped working and needs an operator. */
export interface ChannelAlert {
  /** The broken channel: the alert goes to each admin's best chat on another platform. */
  platform: Platform;
  /** Audit action, e.g. `channel.auth_failed`. */
  action: string;
  /** Short machine reason, kept in the audit trail. */
  reason: string;
  /** At most one alert of this action per local day, so a crash-looping process cannot flood the admins. */
  oncePerDay?: boolean;
  text(t: Copy): string;
}

/**
 * Tells every active admin in chat that a channel needs them (Zalo rejected the OA's refresh token,
 * the personal Zalo account needs a new QR scan), on a chat of another platform — the broken one
 * cannot carry its own alert — and writes an audit event. An admin with no other chat is skipped.
 * Returns the outbox ids to deliver.
 */
export async function alertAdmins(db: Db, alert: ChannelAlert, now: Date, defaultLocale: 'vi' | 'en'): Promise<number[]> {
  const today = localDate(now);
  if (alert.oncePerDay) {
    if (await auditEventExists(db, 'channel', alert.action, `${alert.platform}@${today}`)) return [];
  }
  const effects = createEffects(db, now.toISOString(), defaultLocale, { personId: null, identityId: null });
  await effects.audit(alert.action, 'channel', `${alert.platform}@${today}`, null, { reason: truncateText(alert.reason, 200) });
  for (const personId of await activeRoleHolderIds(db, 'admin')) {
    const target = await preferredIdentity(db, personId, { exceptPlatform: alert.platform });
    if (target) await effects.sendTo(target, (t) => ({ text: alert.text(t) }), { reportUnreachable: false });
  }
  return effects.outboxIds;
}
