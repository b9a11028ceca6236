import webPush from 'web-push';
import type { Db } from '../../db/client.js';
import { insertVapidKeys, readVapidKeys, type VapidKeys } from '../../db/repositories/web-push.js';

/**
 * The service's VAPID key pair: read from the database, or made and stored at first start (two
 * processes starting at once both end with the stored pair). The private key is returned to the
 * sender only; never log it.
 */
export async function ensureVapidKeys(db: Db, now: Date): Promise<VapidKeys> {
  const stored = await readVapidKeys(db);
  if (stored) return stored;
  await insertVapidKeys(db, webPush.generateVAPIDKeys(), now.toISOString());
  const kept = await readVapidKeys(db);
  if (!kept) throw new Error('VAPID keys could not be stored');
  return kept;
}
