import type { Db } from '../../db/client.js';
import { insertVapidKeys, readVapidKeys, sealStoredVapidKey, type VapidKeys } from '../../db/repositories/web-push.js';
import type { SecretBox } from '../../db/secret-box.js';

/**
 * The service's VAPID key pair: read from the database, or made and stored at first start (two
 * processes starting at once both end with the stored pair). The private key is stored sealed by
 * `box`; one an earlier version stored in clear is sealed here first. The private key is returned
 * to the sender only; never log it.
 * @throws {SecretsKeyError} when the stored private key was sealed under another key: never make
 * new keys over it, every browser's subscription is bound to the stored public key.
 */
export async function ensureVapidKeys(db: Db, now: Date, box: SecretBox): Promise<VapidKeys & { sealedNow: boolean }> {
  const sealedNow = await sealStoredVapidKey(db, box);
  const stored = await readVapidKeys(db, box);
  if (stored) return { ...stored, sealedNow };
  // Loaded only here and when a push is sent (push/sender.ts): once the keys are stored, most
  // processes never need the library.
  const { default: webPush } = await import('web-push');
  await insertVapidKeys(db, webPush.generateVAPIDKeys(), now.toISOString(), box);
  const kept = await readVapidKeys(db, box);
  if (!kept) throw new Error('VAPID keys could not be stored');
  return { ...kept, sealedNow };
}
