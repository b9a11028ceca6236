import type { BackoffOptions } from '../delivery/backoff.js';
import type { OutboxFiles } from './files.js';
import type { LeaseKeeper } from './lease.js';
import type { ChatAdapter, Platform } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import type { OutboxChat, OutboxRowChat } from '../../db/repositories/outbox-claims.js';
import type { OutboxHeldReason, OutboxQueue, OutboxRow } from '../../db/schema.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../logger.js';
import type { RedisTarget } from '../scheduler/queues.js';
import type { Clock } from '../time/clock.js';

/** The collectors the dispatcher updates (a subset of {@link Metrics}). */
export type OutboxMetrics = Pick<Metrics,
  'outboxSentTotal' | 'outboxFailedTotal' | 'outboxRateLimitedTotal' | 'outboxDeliverySeconds'
  | 'outboxStalledChatsTotal' | 'outboxResentInFlightTotal' | 'outboxOldestWaitSeconds'>;

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
  /** Chats delivered in parallel by this process (one chat always has one send at a time, in commit order). */
  concurrency: number;
  /** Attempts before a row failing with transient/auth/unknown errors is marked `failed`. Rate limits do not count. */
  maxAttempts: number;
  /** Upper bound of the exponential backoff between attempts, in ms. */
  backoffMaxMs: number;
  /** First backoff delay, in ms; doubles per attempt. Default 1000. */
  backoffBaseMs?: number;
  /**
   * How long a claim on a send in flight lasts without renewal, in ms (renewed every third of it
   * while the send runs). After a crash, the chat whose send was in flight waits this long, at
   * most, before another process (or the restarted one) sends it again. Default 3000.
   */
  leaseMs?: number;
  /**
   * How often every chat with pending rows is checked for a lost delivery job or a lapsed claim
   * (one query), in ms. Default 1000.
   */
  sweepMs?: number;
  /** How long recording a delivered send is retried when the database fails, in ms. Default 60 000. */
  recordRetryMs?: number;
  /** Rows one job sends before it lets other chats' jobs run (and queues itself again). Default 20. */
  rowsPerJob?: number;
  /** Waiting notices of one chat sent as one digest past a threshold (`OUTBOX_DIGEST_THRESHOLD`); absent: never. */
  digest?: DigestSettings;
  /**
   * Called once for rows with `report_unreachable = 1`, inside the transaction (`tx`) that marks
   * the row `unreachable`: write the report there (so a crash cannot keep one without the other)
   * and return the outbox ids it created, delivered after commit. A throw rolls the marking back.
   */
  onUnreachable(row: OutboxRow, reason: string, tx: Db): Promise<readonly number[] | void>;
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
  /**
   * Wakes the chats of these committed rows (one job per chat); rows no longer pending are ignored.
   * `chats`: the chat of every row of `ids`, as the transaction that wrote them knew it; then nothing
   * is read (a chat whose rows were meanwhile delivered gets a drain that finds nothing). Idempotent.
   */
  enqueue(ids: readonly number[], chats?: readonly OutboxRowChat[]): Promise<void>;
  /** Starts the worker and the periodic sweep; resolves when it is connected. Idempotent. */
  start(): Promise<void>;
  /**
   * Wakes every chat with pending rows whose delivery job or sender was lost (at boot, and after
   * Redis lost its data), and probes platforms that refused our credentials; returns how many chats.
   */
  reconcile(): Promise<number>;
  /**
   * Resolves once no drain woken in this process (`enqueue` after `start`) is running or waiting;
   * drains of queue jobs (delayed wake-ups, the sweep's, another process's) are not counted.
   */
  idle(): Promise<void>;
  /** Waits for in-flight deliveries, then closes the worker, the queue and their connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * Data of a delivery job: the chat to drain (its pending rows, oldest first, one at a time).
 * Jobs of earlier versions carried `outboxId` (one job per row); their row's chat is drained.
 */
export type OutboxJobData = { platform: Platform; chatId: string } | { outboxId: number };

/** Everything one delivery needs; built once by the dispatcher. */
export interface DeliveryContext {
  db: Db;
  queueName: OutboxQueue;
  adapters: ReadonlyMap<Platform, ChatAdapter>;
  logger: Logger;
  clock: Clock;
  maxAttempts: number;
  backoff: BackoffOptions;
  /** This process's claims on sends in flight (owner id, lease length, renewal). */
  lease: LeaseKeeper;
  /** How long recording a delivered send is retried when the database fails, in ms. */
  recordRetryMs: number;
  /** Writes the coordinators' report inside the transaction that marks the row unreachable (see `OutboxDispatcherOptions`). */
  onUnreachable(row: OutboxRow, reason: string, tx: Db): Promise<readonly number[] | void>;
  /** Hands committed rows (the unreachable report) to their chats' jobs; set by the dispatcher. */
  enqueue(ids: readonly number[]): Promise<void>;
  /** Called after a row was parked as `held` (reply window closed, no other channel); a throw is logged. */
  onHeld?(row: OutboxRow): Promise<void>;
  /** Releases rows held for refused credentials once a platform accepts us again (set by the dispatcher). */
  credentials?: CredentialWatch;
  metrics?: OutboxMetrics;
  scrub: (text: string) => string;
  defaultLocale: 'vi' | 'en';
  /** Sends a row's stored files (as parts, or as links where the platform cannot take them); absent: links only. */
  files?: OutboxFiles;
}

/** What happened to one delivery attempt of a claimed row; the drain turns it into the claim's end. */
export type DeliveryOutcome =
  | { kind: 'skipped'; reason: 'not_pending' | 'no_adapter'; row: OutboxRow }
  | { kind: 'wait'; reason: 'reply_pending'; blockerId: number; row: OutboxRow }
  | { kind: 'rate_limited'; delayMs: number; row: OutboxRow }
  /** A failed attempt to retry after `delayMs`; `attempts` and `error` are recorded with the release. */
  | { kind: 'retry'; delayMs: number; error: string; attempts: number; row: OutboxRow }
  /** `chatHasMore`: another row of the chat was pending when this one was marked sent (false: the chat was empty then). */
  | { kind: 'sent'; messageIds: string[]; row: OutboxRow; chatHasMore: boolean }
  | { kind: 'failed'; reason: 'bad_request' | 'max_attempts'; error: string; row: OutboxRow }
  | { kind: 'unreachable'; reason: string; row: OutboxRow }
  /** Parked: until the recipient writes (`reply_window`), or until the platform accepts our credentials (`credentials`). */
  | { kind: 'held'; reason: OutboxHeldReason; row: OutboxRow }
  /** The reply window is closed or our credentials refused: copied to another identity of the person (`newIds` to deliver). */
  | { kind: 'redirected'; newIds: number[]; row: OutboxRow };

/**
 * Notices when a platform accepts our credentials again, so held rows go out without a restart.
 * The operator fixes credentials in another process (`liaison zalo-oa tokens`, `liaison zalo
 * login` + restart), so nothing tells this one; instead:
 * - any send on the platform that the platform answers ({@link CredentialWatch.accepted}) releases
 *   every row held for it (this process remembers which platforms it held rows for);
 * - every `recheckMs` (and at boot), the oldest held row of each platform is released as a probe:
 *   it either goes out (and releases the rest) or is held again at the cost of one failed send
 *   (for Zalo OA, one database read: the token store says `refresh_rejected`).
 */
export interface CredentialWatch {
  /** A row of `platform` was just held for credentials. */
  noteHeld(platform: Platform): void;
  /** The platform answered a send (credentials fine): release and enqueue what was held for it. */
  accepted(platform: Platform): Promise<void>;
  /** Releases and enqueues the oldest held row of every platform this process can send on. */
  probe(): Promise<number>;
  /** One periodic round: the probe. */
  tick(): Promise<void>;
}

/** Waiting notices of one chat sent as one digest past a threshold. */
export interface DigestSettings {
  /** Notices waiting for one chat that make a digest; 0: never. */
  threshold: number;
  /** Notices one digest carries at most (Telegram shows at most 100 buttons). Default 60. */
  maxRows?: number;
}

/** Wakes a chat's drain job (the dispatcher's queue). */
export interface Waker {
  /** Wakes `chat` now; `headId` is its oldest pending row (the job id's key). */
  now(chat: OutboxChat, headId: number): Promise<void>;
  /** Wakes `chat` at `dueMs` (epoch ms, real clock). */
  at(chat: OutboxChat, headId: number, dueMs: number): Promise<void>;
}
