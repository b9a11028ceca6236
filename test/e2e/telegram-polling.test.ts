import { afterEach, describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../adapters/types.js';
import { createTelegramAdapter, type TelegramAdapter } from '../../adapters/telegram/index.js';
import { createLogger } from '../../src/logger.js';
import { createFakeTelegram, type FakeTelegram } from '../fakes/telegram-bot-api.js';

const TOKEN = '123456789:AAPollingTestTokenForTheFake_0123';

describe('telegram polling loop', () => {
  let fake: FakeTelegram;
  let adapter: TelegramAdapter;
  afterEach(async () => {
    await adapter.stop();
    await fake.stop();
  });

  async function start(onEvent: (e: InboundEvent) => Promise<void>): Promise<void> {
    fake = createFakeTelegram({ token: TOKEN });
    await fake.start();
    adapter = createTelegramAdapter({ token: TOKEN, apiRoot: fake.apiRoot, mode: 'polling', pollingTimeoutS: 5, logger: createLogger({ level: 'silent' }) });
    await adapter.start(onEvent);
  }

  it('an update whose persist failed is fetched and handled again, in order, and nothing after it is skipped', async () => {
    const seen: string[] = [];
    let failOnce = true;
    await start(async (e) => {
      if (e.kind === 'message' && e.text === 'first' && failOnce) {
        failOnce = false;
        throw new Error('database unavailable');
      }
      if (e.kind === 'message') seen.push(e.text);
    });
    const user = { id: 11, first_name: 'A' };
    fake.userSends(user, 'first');
    fake.userSends(user, 'second');
    await fake.waitFor(() => seen.length >= 2, { timeoutMs: 10_000, description: 'both updates handled' });
    expect(seen).toEqual(['first', 'second']);
  });

  it('stop() does not wait out a backoff (here a 30 s retry_after)', async () => {
    await start(async () => undefined);
    fake.failNext({ method: 'getUpdates', times: 5, error: { error_code: 429, description: 'Too Many Requests: retry after 30', retry_after: 30 } });
    await fake.waitFor(() => fake.calls.some((c) => c.method === 'getUpdates' && c.status === 429), { description: 'a refused poll' });
    const t0 = Date.now();
    await adapter.stop();
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});
