import type { BrowserSubscription, WebNotifyApi } from '../../adapters/web/push-routes.js';
import type { Db } from '../../db/client.js';
import { rolesOf } from '../../db/repositories/directory.js';
import {
  countSubscriptions, deleteSubscription, personOfWebOwner, readPrefs, readVapidPublicKey, saveSubscription, savePrefs,
} from '../../db/repositories/web-push.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../time/clock.js';
import { toLocalDate } from '../time/local.js';
import { parsePrefs, prefsFromRow, prefsToRow } from './prefs.js';

/** Dependencies of {@link createWebNotifyApi}. */
export interface WebNotifyApiOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** `WEB_PUSH_ENABLED`: when false the page offers the title, favicon and sound only. */
  pushEnabled: boolean;
}

/** The web page's notification settings and push subscriptions, each acting for the signed-in person only. */
export function createWebNotifyApi(o: WebNotifyApiOptions): WebNotifyApi {
  const { db, clock, logger } = o;
  const who = async (ownerId: string) => {
    const personId = await personOfWebOwner(db, ownerId);
    if (personId === undefined) return undefined;
    const roles = await rolesOf(db, personId, toLocalDate(clock.now()));
    return { personId, staff: roles.some((r) => r.role !== 'reporter') };
  };
  return {
    async view(ownerId) {
      const p = await who(ownerId);
      if (!p) return undefined;
      const publicKey = o.pushEnabled ? await readVapidPublicKey(db) : undefined;
      return {
        pushEnabled: publicKey !== undefined, ...(publicKey ? { publicKey } : {}), staff: p.staff,
        subscriptions: await countSubscriptions(db, p.personId), prefs: prefsFromRow(await readPrefs(db, p.personId)),
      };
    },
    async subscribe(ownerId, sub: BrowserSubscription) {
      const p = await who(ownerId);
      if (!p) return 'no_person';
      if (!p.staff) { logger.info({ personId: p.personId }, 'push subscription refused: not staff'); return 'not_staff'; }
      await saveSubscription(db, { personId: p.personId, ...sub }, clock.now().toISOString());
      logger.info({ personId: p.personId }, 'push subscription saved');
      return 'ok';
    },
    async unsubscribe(ownerId, endpoint) {
      const p = await who(ownerId);
      if (!p) return 'no_person';
      await deleteSubscription(db, p.personId, endpoint);
      return 'ok';
    },
    async savePrefs(ownerId, body) {
      const p = await who(ownerId);
      if (!p) return 'no_person';
      if (!p.staff) return 'not_staff';
      const prefs = parsePrefs(body);
      if (!prefs) { logger.info({ personId: p.personId }, 'notification preferences refused: malformed'); return 'bad'; }
      await savePrefs(db, prefsToRow(p.personId, prefs, clock.now().toISOString()));
      return 'ok';
    },
  };
}
