import type { Agent } from 'node:https';
import type { Db } from '../../db/client.js';
import type { VapidKeys } from '../../db/repositories/web-push.js';
import { SecretsKeyError, type SecretBox } from '../../db/secret-box.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../time/clock.js';
import { createPushSender, type PushSender } from './sender.js';
import { ensureVapidKeys } from './vapid.js';

export { createWebNotifyApi } from './web-api.js';
export { createPushSender, type PushSender } from './sender.js';

/** Dependencies of {@link startWebPush}. */
export interface WebPushStartOptions {
  config: Readonly<Config>;
  db: Db;
  logger: Logger;
  clock: Clock;
  /** Only processes that run workers send pushes (`--role web` serves the page's API only). */
  sends: boolean;
  /** Seals the VAPID private key at rest (`src/secrets-key.ts`). */
  box: SecretBox;
  /** TLS agent for push services (tests: the local fake's certificate). */
  agent?: Agent;
}

/**
 * Makes sure the VAPID keys exist (first start makes them), then, in a worker process, starts the
 * sender that delivers pending pushes every `WEB_PUSH_POLL_MS`. Nothing when `WEB_PUSH_ENABLED` is false.
 */
export async function startWebPush(o: WebPushStartOptions): Promise<{ sender?: PushSender; stop(): Promise<void> }> {
  const { config } = o;
  if (!config.push.enabled) return { stop: async () => undefined };
  let keys: VapidKeys;
  try {
    const { sealedNow, ...pair } = await ensureVapidKeys(o.db, o.clock.now(), o.box);
    if (sealedNow) o.logger.info('web push: encrypted the VAPID private key an earlier version stored in clear');
    keys = pair;
  } catch (err) {
    if (!(err instanceof SecretsKeyError)) throw err;
    // New keys would orphan every browser's subscription, so none are made: pushes wait for the key.
    o.logger.error('web push: the stored VAPID private key cannot be decrypted with this key (SECRETS_KEY or the key file changed); pushes are off until the old key is back; if it is lost, `liaison push reset-keys --yes` makes staff subscribe again; chat messages still go out');
    return { stop: async () => undefined };
  }
  o.logger.info({ publicKey: keys.publicKey }, 'web push ready');
  if (!o.sends) return { stop: async () => undefined };
  const sender = createPushSender({
    db: o.db, logger: o.logger, clock: o.clock, keys, subject: config.push.subject, ttlS: config.push.ttlS, ...(o.agent ? { agent: o.agent } : {}),
  });
  sender.start(config.push.pollMs);
  return { sender, stop: () => sender.stop() };
}
