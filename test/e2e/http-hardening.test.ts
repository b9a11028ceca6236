import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createE2E, type E2E } from '../helpers/e2e-app.js';
import { createWebHarness, type WebHarness } from '../fakes/web/harness.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

/** A raw HTTP request (fetch may not set `Host`). */
function call(port: number, path: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: o.method ?? 'GET', headers: o.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

describe('HTTP hardening (issue #10, Low)', () => {
  let e: E2E;
  let port: number;
  beforeAll(async () => {
    e = await createE2E({ env: { PUBLIC_URL: 'https://bot.example.vn', METRICS_TOKEN } });
    port = e.app.httpPort!;
  });
  afterAll(async () => { await e.close(); });

  it('answers only configured host names (and IP addresses): 421 for any other Host', async () => {
    expect((await call(port, '/healthz', { headers: { host: 'bot.example.vn' } })).status).toBe(200);
    expect((await call(port, '/healthz', { headers: { host: `127.0.0.1:${port}` } })).status).toBe(200);
    expect((await call(port, '/healthz', { headers: { host: `localhost:${port}` } })).status).toBe(200);
    for (const host of ['evil.example', `rebind.attacker.test:${port}`]) {
      const page = await call(port, '/web', { headers: { host } });
      expect(page.status).toBe(421);
      expect(JSON.parse(page.body)).toMatchObject({ error: 'unknown_host', message_vi: expect.any(String), message_en: expect.any(String) });
      const signIn = await call(port, '/web/api/sign-in', {
        method: 'POST', headers: { host, origin: `http://${host}`, 'content-type': 'application/json' }, body: JSON.stringify({ code: 'pv-hue-01' }),
      });
      expect(signIn.status).toBe(421);
    }
  });

  it('/metrics needs the bearer token from METRICS_TOKEN', async () => {
    expect((await call(port, '/metrics')).status).toBe(401);
    expect((await call(port, '/metrics', { headers: { authorization: 'Bearer wrong-token-0123456789abcdef' } })).status).toBe(401);
    const ok = await call(port, '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('# HELP');
  });
});

describe('without METRICS_TOKEN, /metrics answers loopback clients that came through no proxy', () => {
  let e: E2E;
  beforeAll(async () => { e = await createE2E(); });
  afterAll(async () => { await e.close(); });

  it('refuses a request a reverse proxy forwarded', async () => {
    const port = e.app.httpPort!;
    expect((await call(port, '/metrics')).status).toBe(200);
    expect((await call(port, '/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(401);
    expect((await call(port, '/metrics', { headers: { forwarded: 'for=203.0.113.9' } })).status).toBe(401);
  });
});

describe('the Origin check does not trust the Host header', () => {
  let h: WebHarness;
  beforeAll(async () => { h = await createWebHarness(); });
  afterAll(async () => { await h.teardown(); });

  it('an Origin equal to an unknown Host name is cross-origin; one equal to an IP Host is not', async () => {
    const port = Number(new URL(h.base).port);
    const post = (host: string) => call(port, '/web/api/sign-in', {
      method: 'POST', headers: { host, origin: `http://${host}`, 'content-type': 'application/json' }, body: JSON.stringify({ code: 'INVITE-1' }),
    });
    expect(JSON.parse((await post(`rebind.attacker.test:${port}`)).body)).toMatchObject({ error: 'cross_origin' });
    expect((await post(`127.0.0.1:${port}`)).status).toBe(200);
  });
});
