import type WebPush from 'web-push';
import type { Agent } from 'node:https';
import type { Db } from '../../db/client.js';
import {
  claimDelivery, countPushAttempt, countRetries, deleteSubscriptionById, finishPushEvent, holdPushEvent, listPendingPushEvents, listSubscriptions,
  markDelivery, purgePushEvents, readPrefs, touchSubscription, type VapidKeys,
} from '../../db/repositories/web-push.js';
import type { PushEvent, PushSubscriptionRow } from '../../db/schema-push.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../time/clock.js';
import { findInquiry } from '../../db/repositories/inquiries.js';
import { isOpen } from '../../flows/lifecycle/table.js';
import { decidePush, prefsFromRow, quietEnd } from './prefs.js';

/** Dependencies of {@link createPushSender}. */
export interface PushSenderOptions {
  db: Db;
  logger: Logger;
  clock: Clock;
  keys: VapidKeys;
  /** VAPID `sub` claim: `mailto:` or `https:` contact of the operator (`WEB_PUSH_SUBJECT`). */
  subject: string;
  /** How long a push service keeps an undelivered push, in seconds. Default 1 day. */
  ttlS?: number;
  /** Attempts per subscription on transient errors (5xx, network) before giving up. Default 5. */
  maxAttempts?: number;
  /** TLS agent for the push services (tests: trusts the local fake's certificate). */
  agent?: Agent;
}

/** The payload the service worker reads (`adapters/web/page/sw.js`). */
export interface PushPayload { title: string; body: string; tag: string; url: string; urgent: boolean }

const BATCH = 50;
/** Finished push events are kept this long (for support questions), then purged, in ms. */
const KEEP_MS = 30 * 86_400_000;
const PURGE_EVERY_MS = 3_600_000;

/**
 * Sends pending push events. Idempotent: each (event, subscription) is claimed in the database
 * before the push leaves, so running `drain` again, or in two processes at once, sends nothing
 * twice. 404/410 from the push service removes the subscription.
 */
export function createPushSender(o: PushSenderOptions) {
  // Loaded at the first push, not at start: a process whose people never subscribed never needs it.
  let library: Promise<typeof WebPush> | undefined;
  const webPushLibrary = () => (library ??= import('web-push').then((m) => m.default));
  const maxAttempts = o.maxAttempts ?? 5;
  const log = o.logger;

  async function sendOne(event: PushEvent, sub: PushSubscriptionRow): Promise<'sent' | 'retry' | 'failed' | 'gone' | 'skipped'> {
    const nowIso = o.clock.now().toISOString();
    if (!(await claimDelivery(o.db, event.id, sub.id, nowIso))) return 'skipped';
    const payload: PushPayload = {
      title: event.title, body: event.body, tag: event.event_key, urgent: event.urgent === 1,
      url: event.inquiry_id === null ? '/web' : `/web#inquiry-${event.inquiry_id}`,
    };
    const webPush = await webPushLibrary();
    try {
      await webPush.sendNotification({ endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } }, JSON.stringify(payload), {
        vapidDetails: { subject: o.subject, publicKey: o.keys.publicKey, privateKey: o.keys.privateKey },
        TTL: o.ttlS ?? 86_400, urgency: event.urgent === 1 ? 'high' : 'normal', contentEncoding: 'aes128gcm', timeout: 10_000,
        ...(o.agent ? { agent: o.agent } : {}),
      });
      await markDelivery(o.db, event.id, sub.id, 'sent', 201, nowIso);
      await touchSubscription(o.db, sub.id, nowIso);
      return 'sent';
    } catch (err) {
      const status = err instanceof webPush.WebPushError ? err.statusCode : null;
      if (status === 404 || status === 410) {
        await markDelivery(o.db, event.id, sub.id, 'gone', status, nowIso);
        await deleteSubscriptionById(o.db, sub.id);
        log.info({ subscriptionId: sub.id, personId: sub.person_id, status }, 'push subscription expired: removed');
        return 'gone';
      }
      const transient = status === null || status === 429 || status >= 500;
      const outcome = transient && event.attempts + 1 < maxAttempts ? 'retry' : 'failed';
      await markDelivery(o.db, event.id, sub.id, outcome, status, nowIso);
      // Only the status and the error's name: the endpoint URL is a bearer capability.
      log.warn({ subscriptionId: sub.id, status, error: err instanceof Error ? err.name : 'unknown', outcome }, 'push not delivered');
      return outcome;
    }
  }

  /** A push held through quiet hours still matters when they end only while its inquiry waits for someone. */
  async function stale(event: PushEvent): Promise<boolean> {
    if (!event.not_before || event.inquiry_id === null) return false;
    const inquiry = await findInquiry(o.db, event.inquiry_id);
    return !inquiry || !isOpen(inquiry.status);
  }

  async function handle(event: PushEvent): Promise<void> {
    const now = o.clock.now();
    if (await stale(event)) { await finishPushEvent(o.db, event.id, 'stale', now.toISOString()); return; }
    const prefs = prefsFromRow(await readPrefs(o.db, event.person_id));
    const decision = decidePush(prefs, event, now);
    // Held, not dropped: the row waits (pending, in the database) for the end of the quiet hours.
    if (decision === 'quiet') { await holdPushEvent(o.db, event.id, quietEnd(prefs.quiet, now).toISOString()); return; }
    if (decision !== 'send') { await finishPushEvent(o.db, event.id, decision, now.toISOString()); return; }
    const subs = await listSubscriptions(o.db, event.person_id);
    if (subs.length === 0) { await finishPushEvent(o.db, event.id, 'no_subscription', now.toISOString()); return; }
    const results = [];
    for (const sub of subs) results.push(await sendOne(event, sub));
    if ((await countRetries(o.db, event.id)) > 0) { await countPushAttempt(o.db, event.id); return; }
    await finishPushEvent(o.db, event.id, results.includes('sent') ? 'sent' : 'failed', o.clock.now().toISOString());
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  let purgedAt = 0;
  async function drain(): Promise<void> {
    try {
      for (const event of await listPendingPushEvents(o.db, o.clock.now().toISOString(), BATCH)) await handle(event);
      const nowMs = o.clock.now().getTime();
      if (nowMs - purgedAt >= PURGE_EVERY_MS) {
        purgedAt = nowMs;
        await purgePushEvents(o.db, new Date(nowMs - KEEP_MS).toISOString());
      }
    } catch (err) {
      log.error({ err }, 'push sender failed; pending pushes are tried again');
    }
  }
  const schedule = (intervalMs: number) => {
    timer = setTimeout(() => {
      running = drain().finally(() => { running = undefined; if (!stopped) schedule(intervalMs); });
    }, intervalMs);
    timer.unref();
  };
  return {
    /** Sends what is pending now; resolves when done. Errors are logged, never thrown. */
    drain,
    /** Drains every `intervalMs` (milliseconds) until {@link stop}. */
    start(intervalMs: number): void {
      stopped = false;
      schedule(intervalMs);
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

export type PushSender = ReturnType<typeof createPushSender>;
