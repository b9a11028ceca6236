import { afterEach, describe, expect, it } from 'vitest';
import { createWebAdapter } from '../../adapters/web/index.js';
import { createWebStore } from '../../db/repositories/web.js';
import { createHttpServer } from '../../src/http/server.js';
import { createCapturedLogger } from '../fakes/telegram/harness.js';
import { createWebClient, type WebClient } from '../fakes/web/client.js';
import { createWebHarness, type WebHarness } from '../fakes/web/harness.js';

/** A live `GET …/events` stream: resolves `ended` when the server closes it. */
async function listen(base: string, client: WebClient, apiPrefix = '/web/api') {
  const res = await fetch(`${base}${apiPrefix}/events`, { headers: { cookie: client.cookie ?? '' } });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const state = { text: '', ended: false };
  const done = (async () => {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) state.text += decoder.decode(chunk.value, { stream: true });
    state.ended = true;
  })().catch(() => { state.ended = true; });
  return { state, done, cancel: () => reader.cancel().catch(() => undefined) };
}

describe('web channel security (issue #10)', () => {
  let h: WebHarness | undefined;
  let clockMs = Date.parse('2026-12-04T02:00:00Z');
  afterEach(async () => {
    await h?.teardown();
    h = undefined;
  });

  it('an open event stream ends when its session signs out, in this process and in another one', async () => {
    h = await createWebHarness();
    // A second `--role web` process: its own adapter and live streams over the same database.
    const { logger } = createCapturedLogger();
    const other = createWebAdapter({ logger, store: createWebStore(h.db.db), redeemCode: async () => ({ status: 'unknown' }), pollMs: 50 });
    await other.start(async () => undefined);
    const server = createHttpServer({ host: '127.0.0.1', port: 0, logger, webhooks: [], routes: other.routes, health: async () => ({ ok: true, details: {} }) });
    const otherBase = `http://127.0.0.1:${(await server.start()).port}`;
    try {
      const client = await h.clientOf('1001');
      const here = await listen(h.base, client);
      const there = await listen(otherBase, client);
      await h.adapter.send('1001', { text: 'trước khi đăng xuất' });
      await expect.poll(() => there.state.text.includes('trước khi đăng xuất'), { timeout: 10_000 }).toBe(true);
      expect((await client.post('/web/api/sign-out', {})).status).toBe(200);
      await here.done;
      await there.done;
      expect(here.state.ended && there.state.ended).toBe(true);
      await h.adapter.send('1001', { text: 'sau khi đăng xuất' }).catch(() => undefined);
      expect(there.state.text).not.toContain('sau khi đăng xuất');
    } finally {
      await other.stop();
      await server.close();
    }
  });

  it('an open event stream ends when its session expires, and its heartbeat does not renew the idle time', async () => {
    h = await createWebHarness({ now: () => clockMs, idleTimeoutMs: 60_000, heartbeatMs: 20 });
    const client = await h.clientOf('1001');
    const before = await h.db.db.selectFrom('web_sessions').select('idle_expires_at').executeTakeFirstOrThrow();
    const stream = await listen(h.base, client);
    await expect.poll(() => stream.state.text.split(': ping').length > 3, { timeout: 10_000 }).toBe(true);
    // Opening the stream was a request (touched at the same instant); the heartbeats were not.
    expect(await h.db.db.selectFrom('web_sessions').select('idle_expires_at').executeTakeFirstOrThrow()).toEqual(before);
    clockMs += 60_001;
    await stream.done;
    expect(stream.state.ended).toBe(true);
    expect((await client.get('/web/api/session')).status).toBe(401);
  });

  it('a session cookie works only in its own slot, even renamed', async () => {
    h = await createWebHarness();
    const one = createWebClient(h.base, 1);
    expect((await one.signIn('INVITE-A')).status).toBe(200);
    const token = one.cookie!.split('=')[1]!;
    const renamed = createWebClient(h.base, 2);
    renamed.cookie = `liaison_session_2=${token}`;
    expect((await renamed.get('/web/u/2/api/session')).status).toBe(401);
    const slotZero = createWebClient(h.base);
    slotZero.cookie = `liaison_session=${token}`;
    expect((await slotZero.get('/web/api/session')).status).toBe(401);
    expect((await one.get('/web/u/1/api/session')).status).toBe(200);
  });

  it('login CSRF: a bad code never drops the session, and replacing it needs the person to say so', async () => {
    h = await createWebHarness();
    const client = createWebClient(h.base);
    const first = await client.signIn('INVITE-A');
    const session = { cookie: client.cookie, csrf: client.csrfToken };
    // Even when the person agreed to replace the session, a bad code replaces nothing.
    const bad = await client.signIn('made-up', {}, { replace: true });
    expect(bad).toMatchObject({ status: 400, body: { error: 'code_unknown' } });
    expect(bad.headers.get('set-cookie')).toBeNull();
    expect((await client.get('/web/api/session')).body).toMatchObject({ userId: first.body.userId });
    const asked = await client.signIn('INVITE-B');
    expect(asked).toMatchObject({ status: 409, body: { error: 'signed_in', message_vi: expect.stringContaining('đăng xuất'), message_en: expect.stringContaining('sign them out') } });
    expect(h.signIns).toHaveLength(1);
    expect((await client.get('/web/api/session')).status).toBe(200);
    const replaced = await client.signIn('INVITE-B', {}, { replace: true });
    expect(replaced.status).toBe(200);
    expect(replaced.body.userId).not.toBe(first.body.userId);
    const old = createWebClient(h.base);
    Object.assign(old, { cookie: session.cookie, csrfToken: session.csrf });
    expect((await old.get('/web/api/session')).status).toBe(401);
  });

  it('codes typed in the chat are limited per session (429 too_many_codes, vi/en); ordinary messages are not', async () => {
    h = await createWebHarness({ codeLimits: { byAddress: { max: 100, windowMs: 600_000 }, bySession: { max: 3, windowMs: 600_000 } } });
    const client = await h.clientOf('1001');
    const attempts = ['/start guess-0001', '/link ABCD-EFGH', 'guess-0002'];
    for (const text of attempts) expect((await client.post('/web/api/messages', { text, clientId: client.newClientId() })).status).toBe(200);
    const limited = await client.post('/web/api/messages', { text: '/start guess-0003', clientId: client.newClientId() });
    expect(limited).toMatchObject({ status: 429, body: { error: 'too_many_codes', message_vi: expect.stringContaining('quá nhiều mã'), message_en: expect.stringContaining('Too many codes') } });
    expect((await client.post('/web/api/messages', { text: 'ABCD EFGH', clientId: client.newClientId() })).status).toBe(429);
    expect((await client.post('/web/api/messages', { text: 'Lịch tiêm vắc-xin thế nào?', clientId: client.newClientId() })).status).toBe(200);
    expect(h.events.filter((e) => e.kind === 'command' && e.command === 'start')).toHaveLength(1);
  });

  it('the workspace\'s inquiry actions (follow, merge): same origin and CSRF token required, typed fields only, no bubble in the chat', async () => {
    h = await createWebHarness();
    const client = await h.clientOf('1001');
    const act = (body: Record<string, unknown>, options?: { csrf?: string | undefined; headers?: Record<string, string> }) =>
      client.post('/web/api/inquiry-action', { clientId: client.newClientId(), ...body }, options);
    expect((await act({ action: 'follow', code: 'Q-12' }, { csrf: undefined })).body.error).toBe('csrf');
    expect((await act({ action: 'follow', code: 'Q-12' }, { csrf: 'forged' })).body.error).toBe('csrf');
    expect((await act({ action: 'follow', code: 'Q-12' }, { headers: { origin: 'https://evil.example' } })).body.error).toBe('cross_origin');
    for (const bad of [{ action: 'answer', code: 'Q-12' }, { action: 'follow', code: 'Q-12 Q-13' }, { action: 'follow', code: '/lang en' }, { action: 'merge', code: 'Q-13' }, { action: 'follow', code: 'Q-12', into: 'Q-1' }]) {
      expect((await act(bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect(h.events.filter((e) => e.kind === 'command' && e.command !== 'start')).toEqual([]);
    expect((await act({ action: 'merge', code: 'Q-13', into: 'Q-12' })).status).toBe(200);
    expect((await act({ action: 'unfollow', code: 'Q-12' })).status).toBe(200);
    // The flows get the command they decide on (role, scope, state); the conversation shows no "/merge" the person never typed.
    expect(h.events.filter((e) => e.kind === 'command' && e.command !== 'start').map((e) => e.kind === 'command' && `${e.command} ${e.args}`)).toEqual(['merge Q-13 Q-12', 'unfollow Q-12']);
    expect((await client.get('/web/api/messages')).body.messages).toEqual([]);
  });

  it('sign-ins and codes in the chat share one limit per address', async () => {
    h = await createWebHarness({ codeLimits: { byAddress: { max: 3, windowMs: 600_000 }, bySession: { max: 100, windowMs: 600_000 } } });
    const client = await h.clientOf('1001');
    expect((await client.post('/web/api/messages', { text: '/link ABCD-EFGH', clientId: client.newClientId() })).status).toBe(200);
    expect((await createWebClient(h.base).signIn('made-up')).status).toBe(400);
    expect((await client.post('/web/api/messages', { text: '/link ABCD-EFGJ', clientId: client.newClientId() })).status).toBe(429);
    expect((await createWebClient(h.base).signIn('INVITE-2')).body).toMatchObject({ error: 'too_many_codes' });
  });

  it('"send me a code" counts 0900000001 and +84 900 000 001 as one number', async () => {
    const asked: string[] = [];
    h = await createWebHarness({
      requestCode: async (who) => { asked.push(who); },
      sendCodeLimits: { byAddress: { max: 10, windowMs: 60_000 }, byTarget: { max: 1, windowMs: 60_000 } },
    });
    const browser = createWebClient(h.base);
    for (const who of ['0900000001', '+84 900 000 001', '84900000001', '+84.900.000.001']) {
      expect((await browser.post('/web/api/send-code', { who }, { csrf: undefined })).status).toBe(202);
    }
    await expect.poll(() => asked).toEqual(['0900000001']);
    expect((await browser.post('/web/api/send-code', { who: '0900000002' }, { csrf: undefined })).status).toBe(202);
    await expect.poll(() => asked).toEqual(['0900000001', '0900000002']);
  });
});
