import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';
import { startTestRedis, type TestRedis } from '../helpers/private-redis.js';

/**
 * Redis stops altogether while the bot runs (issue #12's deliveries without jobs). The bot that
 * sends needs only the database and Telegram for a reporter's question to be confirmed and its
 * spokesperson notified; the question's deadline is planned once Redis is back. On a redis-server
 * of the test's own: the shared one is never stopped.
 */
describe('Redis away while the bot runs (private redis-server, SQLite)', () => {
  let redis: TestRedis;
  let e: E2E;
  let down = false;
  const reporter = tgUser('Thư');
  const health = tgUser('Tuấn');

  beforeAll(async () => {
    redis = await startTestRedis();
    e = await createE2E({ env: { REDIS_URL: redis.url, REDIS_CHECK_INTERVAL_MS: '500' } });
    await e.say(reporter, '/start pv-hue-01', 'Xin chào');
    await e.say(health, '/start pn-syte-01', 'Xin chào');
  }, 60_000);

  afterAll(async () => {
    if (down) await redis?.restart();
    await e?.close();
    await redis?.stop();
  });

  it('questions asked meanwhile are confirmed and their spokesperson notified, once each; their deadlines are planned when Redis returns', async () => {
    await redis.kill();
    down = true;
    await e.say(reporter, 'Số ca sốt xuất huyết tuần này?', 'lĩnh vực nào');
    await e.press(reporter, 'Y tế', 'Xác nhận gửi');
    const toHealth = e.fake.sent.length;
    await e.press(reporter, 'Gửi', 'Đã tiếp nhận');
    const notice = await e.nextTo(health, toHealth, 'Số ca sốt xuất huyết');
    expect(notice.text).toContain('Q-');
    expect(e.sentTo(reporter, 'Đã tiếp nhận')).toHaveLength(1);
    expect(e.sentTo(health, 'Số ca sốt xuất huyết')).toHaveLength(1);
    // The first question's deadline waits for Redis; the next question's replies do not wait behind it.
    await e.say(reporter, 'Lịch tiêm chủng tháng tới?', 'lĩnh vực nào');
    await e.press(reporter, 'Y tế', 'Xác nhận gửi');
    await e.press(reporter, 'Gửi', 'Đã tiếp nhận');
    expect(e.sentTo(reporter, 'Đã tiếp nhận')).toHaveLength(2);

    await redis.restart();
    down = false;
    const deadlines = new Queue('deadlines', { connection: { url: redis.url }, prefix: e.prefix });
    try {
      const until = Date.now() + 60_000;
      let jobs = 0;
      while (Date.now() < until && jobs < 2) {
        jobs = Object.values(await deadlines.getJobCounts('delayed', 'waiting', 'active', 'prioritized')).reduce((a, b) => a + b, 0);
        if (jobs < 2) await new Promise((r) => setTimeout(r, 100));
      }
      expect(jobs).toBe(2);
    } finally {
      await deadlines.close();
    }
  }, 120_000);
});
