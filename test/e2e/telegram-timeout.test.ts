import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramAdapter } from '../../adapters/telegram/index.js';
import { TransientError } from '../../adapters/types.js';
import { createLogger } from '../../src/logger.js';

const TOKEN = '123456789:AAHangingApiTestTokenForTimeouts_0';

/** A "Bot API" that accepts every request and never answers (a hung proxy or server). */
describe('telegram sends against a Bot API that never answers', () => {
  let server: Server;
  const held: ServerResponse[] = [];
  const seen: string[] = [];
  let apiRoot = '';
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      seen.push(req.url ?? '');
      req.resume();
      held.push(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const res of held) res.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives up after the request bound with a retryable error that names no token, instead of waiting for ever', async () => {
    const adapter = createTelegramAdapter({ token: TOKEN, apiRoot, mode: 'polling', requestTimeoutMs: 1000, logger: createLogger({ level: 'silent' }) });
    // Without the bound telegraf waits 500 s: far beyond this test's own timeout, so the test fails.
    const error = await adapter.send('42', { text: 'Xin chào' }).then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).message).toBe('telegram sendMessage: no answer within 1000 ms');
    expect(JSON.stringify(error)).not.toContain(TOKEN.split(':')[1]);
    expect(seen).toEqual([`/bot${TOKEN}/sendMessage`]);
  });
});
