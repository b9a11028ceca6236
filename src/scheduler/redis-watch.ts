import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { describeRedisTarget, type RedisTarget } from './queues.js';

/** Options of {@link createRedisWatch}. */
export interface RedisWatchOptions {
  redis: RedisTarget;
  /** The BullMQ prefix: the generation key is `<prefix>:liaison:generation`. */
  prefix: string;
  logger: Logger;
  /** How often the key is checked (it is also checked on every reconnect), in ms. */
  intervalMs: number;
  /**
   * What boot does to fill Redis from the database (deadline jobs, outbox wake-ups, notice
   * batches, repeatable jobs), run again in place when the data turns out lost. Must be
   * idempotent: every process that notices the loss runs it.
   */
  reconcile(): Promise<unknown>;
}

/** Notices that Redis lost its data while the bot runs (FLUSHALL, a failover to an empty replica). */
export interface RedisWatch {
  /** Writes (or adopts) the generation and starts checking. */
  start(): Promise<void>;
  /** Checks once now; true when a loss was found (and the reconcile ran). */
  check(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Keeps a generation key in Redis, written when the first process starts. Every process
 * remembers the value it saw; when the key is gone or holds another value, the data behind it
 * was lost: a warning is logged, a new generation written (`SET NX`, so all processes adopt the
 * same one), and the boot-time reconcile runs again in this process. Checks run every
 * `intervalMs` and on every reconnect; a check during an outage is skipped, not queued.
 */
export function createRedisWatch(o: RedisWatchOptions): RedisWatch {
  const key = `${o.prefix}:liaison:generation`;
  const logger = o.logger.child({ component: 'redis-watch' });
  const client = connect(o.redis);
  client.on('error', (err) => logger.debug({ err: String(err) }, 'redis watch: connection error'));
  let generation: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let checking: Promise<boolean> | undefined;
  let closed = false;

  const adopt = async (): Promise<string> => {
    await client.set(key, `${new Date().toISOString()}-${randomBytes(6).toString('hex')}`, 'NX');
    const value = await client.get(key);
    if (value === null) throw new Error('the generation key vanished right after it was written');
    return value;
  };

  const runCheck = async (): Promise<boolean> => {
    if (closed || generation === undefined || client.status !== 'ready') return false;
    const seen = await client.get(key);
    if (seen === generation) return false;
    const startedAt = Date.now();
    logger.warn({ redis: describeRedisTarget(o.redis), was: generation, now: seen }, 'redis: its data was lost (flushed, or a failover to an empty replica); re-planning jobs from the database');
    generation = await adopt();
    await o.reconcile();
    logger.warn({ ms: Date.now() - startedAt }, 'redis: jobs re-planned from the database after the data loss');
    return true;
  };

  const check = (): Promise<boolean> => {
    // One check at a time; a loss found while one runs is found again by the next.
    checking ??= runCheck().finally(() => { checking = undefined; });
    return checking;
  };
  const checkQuietly = () => {
    check().catch((err: unknown) => logger.error({ err: String(err) }, 'redis watch: check failed; tried again at the next one'));
  };

  return {
    async start() {
      if (client.status !== 'ready') await new Promise<void>((resolve) => client.once('ready', () => resolve()));
      generation = await adopt();
      client.on('ready', checkQuietly);
      timer = setInterval(checkQuietly, o.intervalMs);
      timer.unref();
    },
    check,
    async close() {
      closed = true;
      clearInterval(timer);
      await checking?.catch(() => undefined);
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/** Its own connection: commands fail fast while Redis is away instead of waiting in a queue. */
function connect(target: RedisTarget): Redis {
  const options = { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: 'liaison-redis-watch' };
  return 'path' in target ? new Redis({ ...options, path: target.path }) : new Redis(target.url, options);
}
