import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpRequest, HttpRoute, WebhookRequest } from '../../adapters/types.js';
import { sql } from 'kysely';
import { createDb } from '../../db/client.js';
import { createHttpServer, DATABASE_UNAVAILABLE, type HttpServer } from '../../src/http/server.js';
import { createMetrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';

describe('http server', () => {
  const received: WebhookRequest[] = [];
  const lines: string[] = [];
  const metrics = createMetrics();
  let healthy = true;
  let server: HttpServer;
  let base: string;
  // A PostgreSQL nobody listens on: every query fails as in an outage, with pg's own error.
  const deadDb = createDb({ url: 'postgres://postgres@127.0.0.1:9/outage' });

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
      routes: [{ method: 'GET', path: '/web/api/session', handle: async () => {
        await sql`select 1`.execute(deadDb.db);
        return { status: 200, body: '{}' };
      } }],
    });
    const { port } = await server.start();
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => { await server.close(); await deadDb.close(); });

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

  it('answers 503 with a polite Vietnamese and English message, not 500, while the database cannot be reached', async () => {
    const res = await fetch(`${base}/web/api/session`, { headers: { cookie: 'liaison_session=abc' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual(DATABASE_UNAVAILABLE);
    expect(DATABASE_UNAVAILABLE.message_vi).toContain('Vui lòng thử lại');
    expect(lines.some((l) => l.includes('http request refused: database unavailable') && l.includes('ECONNREFUSED'))).toBe(true);
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

describe('http server: adapter routes', () => {
  it('serves GET and POST routes with query, raw body, address and the adapter headers', async () => {
    const seen: HttpRequest[] = [];
    const routes: HttpRoute[] = [
      { method: 'GET', path: '/web/api/echo', handle: async (req) => { seen.push(req); return { status: 200, headers: { 'content-type': 'application/json', 'x-extra': 'yes' }, body: '{"ok":true}' }; } },
      { method: 'POST', path: '/web/api/echo', handle: async (req) => { seen.push(req); return { status: 201, body: Buffer.from('tạo') }; } },
      { method: 'POST', path: '/web/api/empty', handle: async () => ({ status: 204 }) },
    ];
    const server = createHttpServer({ host: '127.0.0.1', port: 0, logger: createLogger({ level: 'silent' }), webhooks: [], routes, health: async () => ({ ok: true, details: {} }) });
    const base = `http://127.0.0.1:${(await server.start()).port}`;
    try {
      const get = await fetch(`${base}/web/api/echo?after=7&after=9&x=%C3%A0`, { headers: { cookie: 'a=b' } });
      expect(get.status).toBe(200);
      expect(get.headers.get('x-extra')).toBe('yes');
      expect(await get.json()).toEqual({ ok: true });
      expect(seen[0]).toMatchObject({ query: { after: '7', x: 'à' }, headers: { cookie: 'a=b' }, ip: '127.0.0.1' });
      const post = await fetch(`${base}/web/api/echo`, { method: 'POST', body: '{"text":"hỏi"}', headers: { 'content-type': 'application/json' } });
      expect(post.status).toBe(201);
      expect(await post.text()).toBe('tạo');
      expect(seen[1]?.rawBody.toString('utf8')).toBe('{"text":"hỏi"}');
      expect((await fetch(`${base}/web/api/empty`, { method: 'POST' })).status).toBe(204);
    } finally {
      await server.close();
    }
  });

  it('streams server-sent events, returns the iterator on disconnect, and ends streams on close()', async () => {
    const returned: string[] = [];
    const makeStream = (name: string): AsyncIterable<string> => {
      let sent = false;
      let wake: ((r: IteratorResult<string>) => void) | undefined;
      return { [Symbol.asyncIterator]: () => ({
        next: () => (sent ? new Promise<IteratorResult<string>>((resolve) => { wake = resolve; }) : (sent = true, Promise.resolve({ done: false, value: `data: ${name}\n\n` }))),
        return: () => { returned.push(name); wake?.({ done: true, value: undefined }); return Promise.resolve({ done: true, value: undefined }); },
      }) };
    };
    let n = 0;
    const routes: HttpRoute[] = [{
      method: 'GET', path: '/web/api/events',
      handle: async () => ({ status: 200, headers: { 'content-type': 'text/event-stream' }, stream: makeStream(`s${(n += 1)}`) }),
    }];
    const server = createHttpServer({ host: '127.0.0.1', port: 0, logger: createLogger({ level: 'silent' }), webhooks: [], routes, health: async () => ({ ok: true, details: {} }) });
    const base = `http://127.0.0.1:${(await server.start()).port}`;
    const open = async () => {
      const abort = new AbortController();
      const res = await fetch(`${base}/web/api/events`, { signal: abort.signal });
      const reader = res.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      return { res, reader, first, abort };
    };
    const a = await open();
    expect(a.res.headers.get('content-type')).toBe('text/event-stream');
    expect(a.first).toBe('data: s1\n\n');
    a.abort.abort();
    await expect.poll(() => returned).toEqual(['s1']);
    const b = await open();
    expect(b.first).toBe('data: s2\n\n');
    await server.close();
    expect((await b.reader.read()).done).toBe(true);
    expect(returned).toEqual(['s1', 's2']);
  });

  it('close() does not wait for a connection that never sent a request (a browser\'s spare one), and still finishes a request in flight', async () => {
    let release: (() => void) | undefined;
    const routes: HttpRoute[] = [{
      method: 'GET', path: '/web/api/slow',
      handle: () => new Promise((resolve) => { release = () => { resolve({ status: 200, body: 'xong' }); }; }),
    }];
    const server = createHttpServer({ host: '127.0.0.1', port: 0, logger: createLogger({ level: 'silent' }), webhooks: [], routes, health: async () => ({ ok: true, details: {} }) });
    const { port } = await server.start();
    // Node counts a silent connection as a request begun, so closeIdleConnections() leaves it to the
    // 60 s headers timeout: shutdown waited that long for any browser that had preconnected.
    const silent: Socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => silent.once('connect', resolve));
    const silentClosed = new Promise((resolve) => silent.once('close', resolve));
    const slow = fetch(`http://127.0.0.1:${port}/web/api/slow`);
    await expect.poll(() => release).toBeDefined();
    // A ceiling far under the 60 s the code before took; it bounds a hang, not the machine's speed.
    const within20s = <T>(p: Promise<T>, what: string) => Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} after 20 s`)), 20_000))]);
    let closed = false;
    const closing = server.close().then(() => { closed = true; });
    await within20s(silentClosed, 'the silent connection still open');
    expect(closed).toBe(false);
    release!();
    expect(await (await slow).text()).toBe('xong');
    await within20s(closing, 'close() still waiting');
    expect(closed).toBe(true);
  });
});
