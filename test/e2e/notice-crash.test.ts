import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.js';
import { migrateToLatest } from '../../db/migrate.js';
import { botEnvironment, runLiaison, startBot, type BotProcess } from '../bench/bot-process.js';
import { createFakeTelegram, createRateLimiter, type FakeTelegram } from '../fakes/telegram-bot-api.js';
import { E2E_TOKEN } from '../helpers/e2e-app.js';
import { seedContacts } from '../helpers/notice-fixture.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const RECIPIENTS = 200;

describe('a broadcast survives its process being killed (real child processes, fake Bot API at 20 msg/s)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-crash-'));
  const prefix = uniquePrefix('notice-crash');
  let fake: FakeTelegram;
  let env: NodeJS.ProcessEnv;
  const bots: BotProcess[] = [];

  beforeAll(async () => {
    fake = createFakeTelegram({ token: E2E_TOKEN });
    fake.addInterceptor(createRateLimiter({ overallPerSecond: 20, perChatPerSecond: 1 }).interceptor);
    await fake.start();
    const dbUrl = join(dir, 'bot.sqlite');
    const handle = createDb({ url: dbUrl });
    await migrateToLatest(handle.db);
    await seedContacts(handle.db, fake, RECIPIENTS);
    await handle.close();
    env = botEnvironment({
      TELEGRAM_BOT_TOKEN: E2E_TOKEN, TELEGRAM_API_ROOT: fake.apiRoot, DATABASE_URL: dbUrl, REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix, HTTP_PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'warn', LOAD_SAMPLE_IF_EMPTY: 'false', WEB_ENABLED: 'false',
      NOTICE_RATE_PER_S: 'telegram=20', NOTICE_SEND_LEASE_MS: '2000', NOTICE_REMIND_AFTER_MS: '0',
    });
  }, 60_000);
  afterAll(async () => {
    for (const bot of bots) await bot.stop(5000);
    await fake.stop();
    await deletePrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('killed (SIGKILL) mid-broadcast and restarted: nobody missed, repeats only for sends in flight, and counted', async () => {
    const file = join(dir, 'notice.md');
    writeFileSync(file, '# Lịch tiếp công dân tháng 12\n\nTừ 1/12, UBND xã tiếp công dân vào sáng thứ Năm hằng tuần.\n');
    const out = await runLiaison(['notice', 'send', '--audience', 'org:PX', '--file', file, '--yes'], env);
    expect(out).toContain(`Telegram: ${RECIPIENTS} người`);

    const notices = () => fake.sent.filter((s) => s.text.includes('Lịch tiếp công dân'));
    bots.push(await startBot(env, () => fake.longPollWaiting));
    await fake.waitFor(() => notices().length >= RECIPIENTS * 0.4, { timeoutMs: 30_000, description: '40% delivered' });
    process.kill(bots[0]!.pid, 'SIGKILL');
    await bots[0]!.stop(5000);
    const atKill = notices().length;
    expect(atKill).toBeLessThan(RECIPIENTS);

    bots.push(await startBot(env, () => fake.longPollWaiting));
    await fake.waitFor(() => new Set(notices().map((s) => s.chatId)).size >= RECIPIENTS, { timeoutMs: 90_000, description: 'every recipient reached' });
    const status = await runLiaison(['notice', 'status', '1'], env);
    expect(status).toContain(`Đã gửi: ${RECIPIENTS}/${RECIPIENTS}`);
    const resent = Number(/re-sent after a crash \(possible repeats\): (\d+)/.exec(status)?.[1] ?? '0');
    const duplicates = notices().length - new Set(notices().map((s) => s.chatId)).size;
    expect(duplicates).toBeLessThanOrEqual(resent);
    expect(resent).toBeLessThanOrEqual(8); // at most one send in flight per lane (NOTICE_CONCURRENCY)
    await runLiaison(['notice', 'export', '1', '--out', join(dir, 'export.csv')], env);
    const exported = readFileSync(join(dir, 'export.csv'), 'utf8');
    expect(exported.trim().split('\n')).toHaveLength(RECIPIENTS + 1);
    expect(exported).not.toContain(',pending,');
  }, 180_000);
});
