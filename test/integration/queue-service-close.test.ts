/**
 * A queue service's close (every BullMQ service of the bot: outbox, deadlines, notices, reports)
 * waits for its jobs in flight, and ends even when Redis is away. BullMQ's worker close waits for
 * its blocking client's end, which a client parked between reconnects never emits (bullmq#4656):
 * a stop while Redis was away, or just after it came back, hung until the stop's timeout killed
 * the process (seen as an intermittent hang of the outbox-redis-down test).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createQueueService, type QueueService } from '../../src/scheduler/queue-service.js';
import { startTestRedis, type TestRedis } from '../helpers/private-redis.js';

interface Started { service: QueueService<{ n: number }>; logs: string[] }

describe('a queue service closes', () => {
  let redis: TestRedis | undefined;
  let service: QueueService<{ n: number }> | undefined;
  let down = false;
  afterEach(async () => {
    if (down) await redis?.restart();
    down = false;
    await service?.close();
    await redis?.stop();
    service = undefined; redis = undefined;
  });

  async function start(processor: (n: number) => Promise<void>): Promise<Started> {
    redis = await startTestRedis();
    const logs: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => { logs.push(line); } } });
    service = createQueueService<{ n: number }>({ name: 'outbox', redis: { url: redis.url }, prefix: 'close-test', logger });
    await service.startWorker(async (job) => processor(job.data.n), { concurrency: 2 });
    return { service, logs };
  }

  it('after its job in flight has ended, not before', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let began!: () => void;
    const begun = new Promise<void>((resolve) => { began = resolve; });
    const done: number[] = [];
    const s = await start(async (n) => { began(); await gate; done.push(n); });
    await s.service.queue.add('job', { n: 7 });
    await begun;
    let closed = false;
    const closing = s.service.close().then(() => { closed = true; });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(done).toEqual([7]);
    expect(s.logs.join('')).not.toContain('did not close');
  });

  it('while Redis is away', async () => {
    const s = await start(async () => undefined);
    await redis!.kill();
    down = true;
    // Once the clients know: BullMQ's close then waits for an end its reconnecting client never emits.
    await expect.poll(() => s.service.connection.status, { timeout: 10_000 }).not.toBe('ready');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await s.service.close();
    // Whether BullMQ's part ended by itself or was dropped after its grace (then logged as such).
    expect(s.logs.join('')).toContain('outbox: closed');
  });

  it('just after Redis came back, while its clients may still be reconnecting', async () => {
    const s = await start(async () => undefined);
    await redis!.kill();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await redis!.restart();
    await s.service.close();
    expect(s.logs.join('')).toContain('outbox: closed');
  });
});
