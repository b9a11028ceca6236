import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../adapters/types.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { createMetrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';

describe('http server', () => {
  const received: WebhookRequest[] = [];
  const lines: string[] = [];
  const metrics = createMetrics();
  let healthy = true;
  let server: HttpServer;
  let base: string;

  beforeAll(async () => {
    const logger = createLogger({ level: 'debug', destination: { write: (line: string) => { lines.push(line); } } });
    server = createHttpServer({
      host: '127.0.0.1', port: 0, logger, metrics: metrics.registry,
      health: async () => ({ ok: healthy, details: { dialect: 'sqlite' } }),
      webhooks: [
        { path: '/webhooks/echo', handle: async (req) => { received.push(req); return { status: 200, body: { ok: true } }; } },
        { path: '/webhooks/text', handle: async () => ({ status: 401, body: 'unauthorised' }) },
        { path: '/webhooks/boom', handle: async () => { throw new Error('handler exploded'); } },
      ],
    });
    const { port } = await server.start();
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => { await server.close(); });

  it('hands the webhook the exact raw bytes and lower-cased headers', async () => {
    const body = Buffer.from('{"update_id":1,  "text":"Xin chào \\u00e0"}\n', 'utf8');
    const res = await fetch(`${base}/webhooks/echo`, {
      method: 'POST', body, headers: { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': 'sekret-value-123456' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    const req = received.at(-1);
    expect(req?.rawBody.equals(body)).toBe(true);
    expect(req?.headers['x-telegram-bot-api-secret-token']).toBe('sekret-value-123456');
    expect(req?.headers['content-type']).toBe('application/json');
  });

  it('accepts bodies of any content type, and none', async () => {
    const bytes = Buffer.from([0, 1, 2, 255]);
    await fetch(`${base}/webhooks/echo`, { method: 'POST', body: bytes, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(received.at(-1)?.rawBody.equals(bytes)).toBe(true);
    await fetch(`${base}/webhooks/echo`, { method: 'POST' });
    expect(received.at(-1)?.rawBody.length).toBe(0);
  });

  it("returns the adapter's status and text body", async () => {
    const res = await fetch(`${base}/webhooks/text`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('unauthorised');
  });

  it('answers 500 when a handler throws, logs it, and keeps serving', async () => {
    const res = await fetch(`${base}/webhooks/boom`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal' });
    expect(lines.some((l) => l.includes('handler exploded'))).toBe(true);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('refuses bodies over 1 MiB with 413', async () => {
    const res = await fetch(`${base}/webhooks/echo`, { method: 'POST', body: Buffer.alloc(1024 * 1024 + 1) });
    expect(res.status).toBe(413);
  });

  it('reports health as 200 or 503', async () => {
    healthy = true;
    const ok = await fetch(`${base}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, dialect: 'sqlite' });
    healthy = false;
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
    healthy = true;
  });

  it('serves Prometheus metrics', async () => {
    metrics.outboxSentTotal.inc({ platform: 'telegram' });
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toContain('outbox_sent_total{platform="telegram"} 1');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not_found' });
    expect((await fetch(`${base}/webhooks/echo`)).status).toBe(404);
  });

  it('never logs request headers or bodies', () => {
    const all = lines.join('\n');
    expect(all).not.toContain('sekret-value-123456');
    expect(all).not.toContain('update_id');
  });
});
