import type { Agent } from 'node:https';
import type { Db } from '../../db/client.js';
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
  const keys = await ensureVapidKeys(o.db, o.clock.now());
  o.logger.info({ publicKey: keys.publicKey }, 'web push ready');
  if (!o.sends) return { stop: async () => undefined };
  const sender = createPushSender({
    db: o.db, logger: o.logger, clock: o.clock, keys, subject: config.push.subject, ttlS: config.push.ttlS, ...(o.agent ? { agent: o.agent } : {}),
  });
  sender.start(config.push.pollMs);
  return { sender, stop: () => sender.stop() };
}
