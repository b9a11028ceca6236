/**
 * `addJobs`: a lone job goes through `Queue.add`, several through `addBulk` in chunks; either way
 * every job lands once under its id, with its delay, on a real Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { addJobs, createQueueService, type QueueService } from '../../src/scheduler/queue-service.js';
import { startTestRedis, type TestRedis } from '../helpers/private-redis.js';

describe('addJobs', () => {
  let redis: TestRedis;
  let service: QueueService<{ n: number }>;
  beforeAll(async () => {
    redis = await startTestRedis();
    service = createQueueService<{ n: number }>({ name: 'deadlines', redis: { url: redis.url }, prefix: 'add-jobs-test', logger: createLogger({ level: 'silent' }) });
  });
  afterAll(async () => {
    await service.close();
    await redis.stop();
  });

  it('adds a lone job with its id, data and delay, and adding it again changes nothing', async () => {
    const job = { name: 'step', data: { n: 1 }, opts: { jobId: 'lone-1', delay: 60_000 } };
    await addJobs(service.queue, [job], 10);
    await addJobs(service.queue, [{ ...job, data: { n: 99 } }], 10);
    const stored = await service.queue.getJob('lone-1');
    expect(stored?.data).toEqual({ n: 1 });
    expect(stored?.opts.delay).toBe(60_000);
    expect(await stored?.getState()).toBe('delayed');
    expect(await service.queue.getDelayedCount()).toBe(1);
  });

  it('adds several in chunks, each once, and nothing for an empty list', async () => {
    const jobs = Array.from({ length: 7 }, (_, i) => ({ name: 'step', data: { n: i }, opts: { jobId: `many-${i}`, delay: 60_000 } }));
    await addJobs(service.queue, jobs, 3);
    await addJobs(service.queue, jobs.slice(2, 5), 3);
    await addJobs(service.queue, [], 3);
    const stored = await Promise.all(jobs.map((j) => service.queue.getJob(j.opts.jobId)));
    expect(stored.map((s) => s?.data.n)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(await service.queue.getDelayedCount()).toBe(1 + 7);
  });
});
