import type { OutboxFiles } from './files.js';
import type { ChatAdapter, Platform } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import type { OutboxQueue, OutboxRow } from '../../db/schema.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../logger.js';
import type { RedisTarget } from '../scheduler/queues.js';
import type { Clock } from '../time/clock.js';

/** The collectors the dispatcher updates (a subset of {@link Metrics}). */
export type OutboxMetrics = Pick<Metrics,
  'outboxSentTotal' | 'outboxFailedTotal' | 'outboxRateLimitedTotal' | 'outboxDeliverySeconds'>;

/** Options for {@link createOutboxDispatcher}. */
export interface OutboxDispatcherOptions {
  db: Db;
  /** Redis holding the queue; the dispatcher opens and closes its own connections. */
  redis: RedisTarget;
  /** BullMQ key prefix (`Config.queuePrefix`); must not contain `:`. */
  prefix: string;
  /** Queue name, also the `outbox.queue` value of the rows this dispatcher delivers. Default `'outbox'`. */
  queueName?: OutboxQueue;
  /** Adapters by platform. A row whose platform has none stays pending (logged) until one is configured. */
  adapters: ReadonlyMap<Platform, ChatAdapter>;
  logger: Logger;
  /** Source of `sent_at`, `unreachable_at` and delivery latency. Queue delays always use real time. */
  clock: Clock;
  /** Parallel deliveries in this process (across chats; one chat is always delivered in order). */
  concurrency: number;
  /** Attempts before a row failing with transient/auth/unknown errors is marked `failed`. Rate limits do not count. */
  maxAttempts: number;
  /** Upper bound of the exponential backoff between attempts, in ms. */
  backoffMaxMs: number;
  /** First backoff delay, in ms; doubles per attempt. Default 1000. */
  backoffBaseMs?: number;
  /** Delay before re-checking a row waiting behind an older row of its chat, in ms; grows ×2 per wait up to 8×. Default 250. */
  postponeMs?: number;
  /**
   * Called once, after the row was marked `unreachable` and committed, for rows with
   * `report_unreachable = 1`. A throw is logged, not retried (the row is no longer pending).
   */
  onUnreachable(row: OutboxRow, reason: string): Promise<void>;
  /**
   * Called once a row was parked as `held` because its platform's reply window is closed and the
   * person has no other reachable identity (Zalo OA: ZNS notification). A throw is logged.
   */
  onHeld?(row: OutboxRow): Promise<void>;
  /**
   * How often rows held because a platform refused our credentials are probed (the oldest of
   * each platform is tried again; when it goes out, the rest follow), in ms. Default 60 000.
   */
  credentialsRecheckMs?: number;
  metrics?: OutboxMetrics;
  /** Scrubs secrets from error text before it is stored in `last_error` or Redis. Default: phone numbers and bot tokens. */
  scrub?: (text: string) => string;
  /** Language of numbered choices for recipients with no language of their own. Default `'vi'`. */
  defaultLocale?: 'vi' | 'en';
  /** Sends rows' stored files (parts, or links where a platform cannot take them); absent: links only. */
  files?: OutboxFiles;
}

/** Delivers committed outbox rows of one queue through the adapters. */
export interface OutboxDispatcher {
  /** Adds a delivery job per id (`outbox-<id>`); ids already queued, or no longer pending, are no-ops. */
  enqueue(ids: readonly number[]): Promise<void>;
  /** Starts the worker; resolves when it is connected. Idempotent. */
  start(): Promise<void>;
  /** Enqueues every row of this queue still `pending` (boot-time reconciliation); returns how many. */
  reconcile(): Promise<number>;
  /** Waits for in-flight deliveries, then closes the worker, the queue and their connections. Idempotent. */
  close(): Promise<void>;
}

/** Data of a delivery job. */
export interface OutboxJobData {
  outboxId: number;
  /** How many times this job waited behind an older row of its chat (grows the wait). */
  waits?: number;
}
