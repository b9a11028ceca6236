import { Queue, Worker, type Processor, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { createRedisConnection, describeRedisTarget, type QueueName, type RedisTarget } from './queues.js';

/** Options of {@link createQueueService}. */
export interface QueueServiceOptions {
  /** The queue (one of {@link QUEUE_NAMES}). */
  name: QueueName;
  redis: RedisTarget;
  /** BullMQ key prefix (`Config.queuePrefix`); must not contain `:`. */
  prefix: string;
  /** Logs queue and worker errors and the close, as `<label>: …`. */
  logger: Logger;
  /** Names log lines and the Redis client (`CLIENT LIST`). Default: the queue name. */
  label?: string;
  /** Level of the line logged when a job fails (its error is the worker's to retry or not). Default `warn`. */
  failedLevel?: 'warn' | 'error';
}

/** A BullMQ queue with its worker on one Redis connection that this service owns. */
export interface QueueService<T> {
  /** The connection the queue and the worker share (for Lua scripts and keys of the service's own). */
  readonly connection: Redis;
  readonly queue: Queue<T>;
  /**
   * Starts the worker with `processor` the first time (later calls reuse it) and resolves when it is
   * connected. Throws once {@link close} was called.
   */
  startWorker(processor: Processor<T>, options: Omit<WorkerOptions, 'connection' | 'prefix'>): Promise<Worker<T>>;
  /** Waits for jobs in flight, then closes the worker, the queue and the connection. Idempotent. */
  close(): Promise<void>;
}

/** Opens the queue (and, on {@link QueueService.startWorker}, the worker) of one service. */
export function createQueueService<T>(o: QueueServiceOptions): QueueService<T> {
  const label = o.label ?? o.name;
  const connection = createRedisConnection(o.redis, label);
  const queue = new Queue<T>(o.name, { connection, prefix: o.prefix });
  queue.on('error', (err) => o.logger.error({ err: String(err), redis: describeRedisTarget(o.redis) }, `${label}: queue error`));
  let worker: Worker<T> | undefined;
  let closing: Promise<void> | undefined;

  const startWorker = async (processor: Processor<T>, options: Omit<WorkerOptions, 'connection' | 'prefix'>): Promise<Worker<T>> => {
    if (closing) throw new Error(`${label} is closed`);
    if (!worker) {
      worker = new Worker<T>(o.name, processor, { ...options, connection, prefix: o.prefix });
      worker.on('error', (err) => o.logger.error({ err: String(err) }, `${label}: worker error`));
      worker.on('failed', (job, err) => o.logger[o.failedLevel ?? 'warn']({ jobId: job?.id, err: String(err) }, `${label}: job failed`));
    }
    await worker.waitUntilReady();
    return worker;
  };

  const closeAll = async (): Promise<void> => {
    try {
      // Waits for jobs in flight, so a clean stop never leaves one half done.
      await worker?.close();
      await queue.close();
    } finally {
      // BullMQ never closes a client it was handed (it closes the duplicates it made itself).
      await connection.quit().catch(() => connection.disconnect());
      o.logger.info(`${label}: closed`);
    }
  };
  return { connection, queue, startWorker, close: () => (closing ??= closeAll()) };
}
