/**
 * The Bot API unreachable while the bot starts (found by the fault suite: a `socket hang up` on
 * getMe during a restart ended the process with code 1). Transient failures at start are retried
 * until Telegram answers; a refused token still fails at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramAdapter, type TelegramAdapter } from '../../adapters/telegram/index.js';
import type { InboundEvent } from '../../adapters/types.js';
import { createLogger } from '../../src/logger.js';
import { createFakeTelegram, type FakeTelegram } from '../fakes/telegram-bot-api.js';

const TOKEN = '123456789:AAStartRetryTestTokenForTheFake_01';

describe('telegram adapter start with the Bot API failing', () => {
  let fake: FakeTelegram;
  let adapter: TelegramAdapter;
  const lines: string[] = [];
  afterEach(async () => {
    await adapter?.stop();
    await fake?.stop();
  });

  async function create(): Promise<void> {
    fake = createFakeTelegram({ token: TOKEN });
    await fake.start();
    const logger = createLogger({ level: 'warn', destination: { write: (line: string) => { lines.push(line); return true; } } });
    adapter = createTelegramAdapter({ token: TOKEN, apiRoot: fake.apiRoot, mode: 'polling', pollingTimeoutS: 1, logger });
  }

  it('retries getMe through 5xx answers, then receives', async () => {
    await create();
    fake.failNext({ method: 'getMe', times: 2, error: { error_code: 502, description: 'Bad Gateway' } });
    const seen: string[] = [];
    await adapter.start(async (e: InboundEvent) => { if (e.kind === 'message') seen.push(e.text); });
    expect(fake.calls.filter((c) => c.method === 'getMe').map((c) => c.status)).toEqual([502, 502, 200]);
    expect(lines.filter((l) => l.includes('getMe failed (Bot API unreachable); retrying'))).toHaveLength(2);
    expect(lines.join('\n')).not.toContain(TOKEN.split(':')[1]);
    fake.userSends({ id: 31, first_name: 'C' }, 'xin chào');
    await fake.waitFor(() => (seen.length > 0 ? true : undefined), { timeoutMs: 20_000, description: 'the update' });
    expect(seen).toEqual(['xin chào']);
  });

  it('still fails at once on a refused token', async () => {
    await create();
    fake.failNext({ method: 'getMe', times: 1, error: { error_code: 401, description: 'Unauthorized' } });
    await expect(adapter.start(async () => undefined)).rejects.toThrow(/401|Unauthorized|token/i);
    expect(fake.calls.filter((c) => c.method === 'getMe')).toHaveLength(1);
  });
});
