import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createMaintenance, type Maintenance } from '../../src/scheduler/maintenance.js';
import { startTestRedis, type TestRedis } from '../helpers/private-redis.js';

/** Log lines written so far, parsed. */
function captureLogs(): { lines: Array<{ msg: string; err?: string }>; stream: Writable } {
  const lines: Array<{ msg: string; err?: string }> = [];
  const stream = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString()) as { msg: string }); done(); } });
  return { lines, stream };
}

describe('maintenance queue on a Redis that goes away (private redis-server)', () => {
  let redis: TestRedis | undefined;
  let maintenance: Maintenance | undefined;
  afterAll(async () => {
    // The server is gone: close must not wait for it forever.
    await Promise.race([maintenance?.close(), new Promise((r) => setTimeout(r, 5_000))]);
    await redis?.stop();
  });

  it('logs the connection errors of its queue and worker instead of ending the process', async () => {
    redis = await startTestRedis();
    const logs = captureLogs();
    maintenance = createMaintenance({
      redis: { url: redis.url }, prefix: 'maint-errors', logger: createLogger({ level: 'info', destination: logs.stream }),
      calendarCheck: async () => [], enqueueOutbox: async () => undefined, prune: async () => undefined,
    });
    await maintenance.start();
    await redis.stop();
    // An 'error' event with no listener would be thrown as an uncaught exception and fail this file.
    await expect.poll(() => logs.lines.filter((l) => l.msg === 'maintenance: queue error').length, { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => logs.lines.filter((l) => l.msg === 'maintenance: worker error').length, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(logs.lines.find((l) => l.msg === 'maintenance: queue error')?.err).toMatch(/^Error: /);
  });
});
