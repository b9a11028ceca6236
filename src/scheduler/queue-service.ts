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
  /**
   * Waits for jobs in flight, then closes the worker, the queue and the connection; BullMQ's own
   * teardown after the last job is given {@link TEARDOWN_GRACE_MS} (it needs Redis). Idempotent.
   */
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
  const jobs = createJobCount();

  const startWorker = async (processor: Processor<T>, options: Omit<WorkerOptions, 'connection' | 'prefix'>): Promise<Worker<T>> => {
    if (closing) throw new Error(`${label} is closed`);
    if (!worker) {
      worker = new Worker<T>(o.name, jobs.track(processor), { ...options, connection, prefix: o.prefix });
      worker.on('error', (err) => o.logger.error({ err: String(err) }, `${label}: worker error`));
      worker.on('failed', (job, err) => o.logger[o.failedLevel ?? 'warn']({ jobId: job?.id, err: String(err) }, `${label}: job failed`));
    }
    await worker.waitUntilReady();
    return worker;
  };

  /** Waits for BullMQ's own teardown at most {@link TEARDOWN_GRACE_MS}, then goes on (logged). */
  const tornDown = async (step: 'worker' | 'queue', closed: Promise<void>): Promise<void> => {
    if (await settlesWithin(closed, TEARDOWN_GRACE_MS)) return;
    o.logger.warn({ step, redis: describeRedisTarget(o.redis) }, `${label}: BullMQ did not close within ${TEARDOWN_GRACE_MS} ms (Redis away?); its connections are dropped`);
  };
  const closeAll = async (): Promise<void> => {
    try {
      if (worker) {
        const closed = worker.close();
        // Waits for jobs in flight, so a clean stop never leaves one half done; what BullMQ does
        // after them only needs Redis, and its close can wait forever for a client parked between
        // reconnects (bullmq#4656): that part is bounded.
        await jobs.done();
        await tornDown('worker', closed);
      }
      await tornDown('queue', queue.close());
    } finally {
      // BullMQ never closes a client it was handed (it closes the duplicates it made itself).
      // QUIT waits for a connection that is away (offline queue): then the socket is dropped.
      if (connection.status === 'ready') await connection.quit().catch(() => connection.disconnect());
      else connection.disconnect();
      o.logger.info(`${label}: closed`);
    }
  };
  return { connection, queue, startWorker, close: () => (closing ??= closeAll()) };
}

/**
 * Adds `jobs` to `queue`, `chunk` per round trip (`addBulk`). A lone job goes through `add`: the
 * same script, without the ioredis pipeline `addBulk` builds (it copies every loaded script onto
 * itself), which a new inquiry's one deadline job paid each time.
 */
export async function addJobs<T>(queue: Queue<T>, jobs: ReadonlyArray<BulkJob<T>>, chunk: number): Promise<void> {
  const [job] = jobs;
  if (job && jobs.length === 1) {
    await queue.add(job.name, job.data, job.opts);
    return;
  }
  for (let i = 0; i < jobs.length; i += chunk) await queue.addBulk(jobs.slice(i, i + chunk));
}

/** One job as `Queue.addBulk` takes it. */
type BulkJob<T> = Parameters<Queue<T>['addBulk']>[0][number];

/** How long a close waits for BullMQ's Redis teardown once no job runs, in ms. */
const TEARDOWN_GRACE_MS = 5_000;

/** Counts the worker's jobs in flight, to wait for them on close. */
function createJobCount(): { track<T>(processor: Processor<T>): Processor<T>; done(): Promise<void> } {
  let running = 0;
  const waiters: Array<() => void> = [];
  return {
    track: (processor) => async (job, token, signal) => {
      running += 1;
      try {
        return await processor(job, token, signal);
      } finally {
        running -= 1;
        if (running === 0) for (const resolve of waiters.splice(0)) resolve();
      }
    },
    done: () => (running === 0 ? Promise.resolve() : new Promise((resolve) => { waiters.push(resolve); })),
  };
}

/** True once `promise` settles within `ms`; false if it has not by then (it runs on regardless). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  try {
    return await Promise.race([promise.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
