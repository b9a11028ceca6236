import { afterEach, describe, expect, it } from 'vitest';
import { createWebAdapter, type CodeRedemption } from '../../adapters/web/index.js';
import { createWebStore } from '../../db/repositories/web.js';
import { redeemWebLoginCode } from '../../flows/web-login.js';
import { BadRequestError, UnreachableError, type CommandEvent, type MessageEvent } from '../../adapters/types.js';
import type { Button } from '../../adapters/types.js';
import { loadCalendar } from '../../src/import/calendar.js';
import { createInboundProcessor } from '../../src/inbound/processor.js';
import { createHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { systemClock } from '../../src/time/clock.js';
import { createDeadlinePolicy } from '../../src/time/deadline-policy.js';
import { createTestDb } from '../helpers/db.js';
import { seedMiniNetwork } from '../helpers/directory-fixture.js';
import { runAdapterContract } from '../helpers/adapter-contract.js';
import { createWebClient, type WebClient } from '../fakes/web/client.js';
import { createCapturedLogger } from '../fakes/telegram/harness.js';
import { createWebHarness, type WebHarness } from '../fakes/web/harness.js';

runAdapterContract('web', () => createWebHarness());

/** A live `GET /web/api/events` stream and everything it delivered so far. */
async function listen(base: string, client: WebClient, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const res = await fetch(`${base}/web/api/events`, { headers: { cookie: client.cookie ?? '', ...headers }, signal: abort.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let ended = false;
  return {
    res,
    /** Reads until `predicate(all text so far)` holds, or the stream ends; returns the text. */
    async until(predicate: (all: string) => boolean): Promise<string> {
      while (!predicate(text) && !ended) {
        const chunk = await reader.read();
        if (chunk.done) ended = true;
        else text += decoder.decode(chunk.value, { stream: true });
      }
      return text;
    },
    get ended() { return ended; },
    close: () => { abort.abort(); },
  };
}

describe('web adapter over HTTP', () => {
  let h: WebHarness | undefined;
  let clockMs = Date.parse('2026-11-20T02:00:00Z');
  afterEach(async () => {
    await h?.teardown();
    h = undefined;
  });

  it('sign-in sets an HttpOnly SameSite cookie and emits start <code> for the flows', async () => {
    h = await createWebHarness();
    const client = createWebClient(h.base);
    const reply = await client.signIn('  INVITE-ABC123 ', { 'accept-language': 'vi-VN,vi;q=0.9,en;q=0.5' });
    expect(reply.status).toBe(200);
    const cookie = reply.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^liaison_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    const userId = String(reply.body.userId);
    expect(h.signIns).toEqual([expect.objectContaining({
      kind: 'command', platform: 'web', command: 'start', args: 'INVITE-ABC123', chatId: userId, from: expect.objectContaining({ id: userId, languageCode: 'vi-VN' }),
    })]);
    expect(JSON.stringify(h.signIns[0])).not.toContain(client.cookie!.split('=')[1]);
    const session = await client.get('/web/api/session');
    expect(session).toMatchObject({ status: 200, body: { userId, csrfToken: client.csrfToken } });
    // No "/start" bubble the person never typed: the timeline waits for the bot's greeting.
    expect((await client.get('/web/api/messages')).body.messages).toEqual([]);
  });

  it('marks the cookie Secure when configured', async () => {
    h = await createWebHarness({ secureCookies: true });
    const reply = await createWebClient(h.base).signIn('INVITE-ABC123');
    expect(reply.headers.get('set-cookie')).toContain('; Secure');
  });

  it('refuses a missing or forged CSRF token with 403, and emits nothing', async () => {
    h = await createWebHarness();
    const client = await h.clientOf('1001');
    const sent = await h.adapter.send('1001', { text: 'Câu hỏi', buttons: [[{ label: 'Trả lời', action: 'ans', payload: '1' }]] });
    const forged = `${client.csrfToken!.slice(0, -1)}${client.csrfToken!.endsWith('A') ? 'B' : 'A'}`;
    for (const csrf of [undefined, '', forged, 'short']) {
      const message = await client.post('/web/api/messages', { text: 'x', clientId: client.newClientId() }, { csrf });
      expect(message.status).toBe(403);
      expect(message.body).toMatchObject({ error: 'csrf', message_vi: expect.stringContaining('CSRF'), message_en: expect.stringContaining('CSRF') });
      const press = await client.post('/web/api/buttons', { messageId: sent.messageId, action: 'ans', payload: '1', clientId: client.newClientId() }, { csrf });
      expect(press.status).toBe(403);
      expect((await client.post('/web/api/sign-out', {}, { csrf })).status).toBe(403);
    }
    const other = await h.clientOf('1002');
    expect((await client.post('/web/api/messages', { text: 'x', clientId: 'c1' }, { csrf: other.csrfToken })).status).toBe(403);
    expect(h.events).toEqual([]);
    expect((await client.get('/web/api/session')).status).toBe(200);
  });

  it('answers 401 to an unknown or stale session, and a stale chat is unreachable', async () => {
    h = await createWebHarness({ idleTimeoutMs: 60_000, now: () => clockMs });
    const client = await h.clientOf('1001');
    const unknown = createWebClient(h.base);
    unknown.cookie = 'liaison_session=forged';
    unknown.csrfToken = client.csrfToken;
    const refused = await unknown.post('/web/api/messages', { text: 'x', clientId: 'c1' });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: 'no_session', message_vi: expect.stringContaining('đăng nhập'), message_en: expect.stringContaining('sign in') });
    expect((await createWebClient(h.base).get('/web/api/messages')).status).toBe(401);
    clockMs += 59_000;
    expect((await client.get('/web/api/session')).status).toBe(200);
    clockMs += 61_000;
    expect((await client.get('/web/api/session')).status).toBe(401);
    expect((await client.post('/web/api/messages', { text: 'x', clientId: 'c2' })).status).toBe(401);
    const error = await h.adapter.send('1001', { text: 'trễ' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as UnreachableError).reason).toBe('no_session');
    expect(h.events).toEqual([]);
  });

  it('signs in with a redeemed one-time code as the identity it names, and refuses a used or expired one (vi/en)', async () => {
    const answers = new Map<string, CodeRedemption>([
      ['GOOD-CODE', { status: 'ok', ownerId: 'owner-42' }], ['USED-CODE', { status: 'used' }], ['OLD-CODE', { status: 'expired' }],
      ['pv-hue-01', { status: 'invite' }],
    ]);
    h = await createWebHarness({ redeemCode: async (code) => answers.get(code) ?? { status: 'unknown' } });
    const used = await createWebClient(h.base).signIn('USED-CODE');
    expect(used).toMatchObject({ status: 400, body: { error: 'code_used', message_vi: expect.stringContaining('đã được dùng'), message_en: expect.stringContaining('already been used') } });
    expect(used.headers.get('set-cookie')).toBeNull();
    expect((await createWebClient(h.base).signIn('OLD-CODE')).body).toMatchObject({ error: 'code_expired', message_en: expect.stringContaining('expired') });
    const client = createWebClient(h.base);
    expect((await client.signIn('GOOD-CODE')).body).toMatchObject({ userId: 'owner-42' });
    // The person is known already: a plain /start greets them; the code never reaches the flows.
    expect(h.signIns).toEqual([expect.objectContaining({ kind: 'command', command: 'start', args: '', chatId: 'owner-42' })]);
    expect(JSON.stringify(h.signIns)).not.toContain('GOOD-CODE');
    // An unused invite: a new identity, and the flows bind the invite.
    await createWebClient(h.base).signIn('pv-hue-01');
    expect(h.signIns.at(-1)).toMatchObject({ command: 'start', args: 'pv-hue-01' });
    // A made-up code yields no session at all (so nobody can register from the web with one).
    const madeUp = await createWebClient(h.base).signIn('made-up-code');
    expect(madeUp).toMatchObject({ status: 400, body: { error: 'code_unknown', message_vi: expect.stringContaining('không đúng'), message_en: expect.stringContaining('not valid') } });
    expect(madeUp.headers.get('set-cookie')).toBeNull();
    expect(h.signIns).toHaveLength(2);
  });

  it('"send me a code" answers the same whoever is named, asks the bot after answering, and is rate-limited', async () => {
    const asked: string[] = [];
    h = await createWebHarness({
      requestCode: async (who) => { asked.push(who); },
      sendCodeLimits: { byAddress: { max: 4, windowMs: 60_000 }, byTarget: { max: 1, windowMs: 60_000 } },
    });
    const browser = createWebClient(h.base);
    const known = await browser.post('/web/api/send-code', { who: 'PV-HUE-01' }, { csrf: undefined });
    const unknown = await browser.post('/web/api/send-code', { who: '0999999999' }, { csrf: undefined });
    expect(known.status).toBe(202);
    expect(unknown).toEqual({ ...known, headers: unknown.headers });
    expect(known.body).toMatchObject({ ok: true, message_vi: expect.stringContaining('Nếu'), message_en: expect.stringContaining('If this matches') });
    await expect.poll(() => asked).toEqual(['PV-HUE-01', '0999999999']);
    // The same person asked about again (any spelling): still the same answer, but nothing more is sent.
    expect((await browser.post('/web/api/send-code', { who: 'pv-hue-01' }, { csrf: undefined })).body).toEqual(known.body);
    expect((await browser.post('/web/api/send-code', { who: 'PV HUE 01' }, { csrf: undefined })).status).toBe(202);
    const limited = await browser.post('/web/api/send-code', { who: '0999999998' }, { csrf: undefined });
    expect(limited).toMatchObject({ status: 429, body: { error: 'rate_limited' } });
    await new Promise((resolve) => { setImmediate(resolve); });
    expect(asked).toEqual(['PV-HUE-01', '0999999999']);
  });

  it('keeps one session per sign-in slot, each cookie scoped to its own API path', async () => {
    h = await createWebHarness();
    const one = createWebClient(h.base, 1);
    const two = createWebClient(h.base, 2);
    const a = await one.signIn('INVITE-A');
    const b = await two.signIn('INVITE-B');
    expect(a.headers.get('set-cookie')).toMatch(/^liaison_session_1=[^;]+; Path=\/web\/u\/1\/api; HttpOnly; SameSite=Lax; Max-Age=2592000$/);
    expect(b.headers.get('set-cookie')).toMatch(/^liaison_session_2=[^;]+; Path=\/web\/u\/2\/api;/);
    expect((await one.get('/web/u/1/api/session')).body.userId).toBe(a.body.userId);
    expect((await two.get('/web/u/2/api/session')).body.userId).toBe(b.body.userId);
    expect(a.body.userId).not.toBe(b.body.userId);
    // A slot's cookie does not open another slot.
    expect((await one.get('/web/u/2/api/session')).status).toBe(401);
    expect((await one.get('/web/api/session')).status).toBe(401);
  });

  it('refuses POSTs from another site (Origin or Sec-Fetch-Site), sign-in included', async () => {
    h = await createWebHarness();
    const client = await h.clientOf('1001');
    const cross = await client.post('/web/api/messages', { text: 'x', clientId: 'c1' }, { headers: { origin: 'https://evil.example' } });
    expect(cross).toMatchObject({ status: 403, body: { error: 'cross_origin', message_vi: expect.any(String), message_en: expect.any(String) } });
    expect((await client.post('/web/api/messages', { text: 'x', clientId: 'c2' }, { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    expect((await createWebClient(h.base).signIn('INVITE-X', { origin: 'https://evil.example' })).status).toBe(403);
    expect((await client.post('/web/api/messages', { text: 'x', clientId: 'c3' }, { headers: { origin: h.base, 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
    expect(h.events).toHaveLength(1);
  });

  it('with trustProxy, rate-limits sign-ins by the address the proxy appended, not the socket', async () => {
    h = await createWebHarness({ trustProxy: true, signInLimit: { max: 1, windowMs: 60_000 } });
    const via = (address: string) => ({ 'x-forwarded-for': `6.6.6.6, ${address}` });
    expect((await createWebClient(h.base).signIn('INVITE-C1', via('203.0.113.1'))).status).toBe(200);
    expect((await createWebClient(h.base).signIn('INVITE-C2', via('203.0.113.2'))).status).toBe(200);
    expect((await createWebClient(h.base).signIn('INVITE-C3', via('203.0.113.1'))).status).toBe(429);
  });

  it('sign-out ends the session', async () => {
    h = await createWebHarness();
    const client = await h.clientOf('1001');
    const out = await client.post('/web/api/sign-out', {});
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await client.get('/web/api/session')).status).toBe(401);
  });

  it('rate-limits sign-in attempts per address with 429 and retryAfter', async () => {
    h = await createWebHarness({ now: () => clockMs, signInLimit: { max: 3, windowMs: 60_000 } });
    // A fresh browser each time (one that is signed in is asked before replacing its session).
    const browser = () => createWebClient(h!.base);
    for (let i = 0; i < 3; i += 1) expect((await browser().signIn(`INVITE-${i}`)).status).toBe(200);
    const limited = await browser().signIn('INVITE-9');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: 'rate_limited', retryAfter: 60, message_vi: expect.any(String), message_en: expect.any(String) });
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(h.signIns).toHaveLength(3);
    clockMs += 60_000;
    expect((await browser().signIn('INVITE-10')).status).toBe(200);
  });

  it('refuses oversize (413), malformed (400), non-JSON (415) and incomplete (400) bodies', async () => {
    h = await createWebHarness();
    const client = await h.clientOf('1001');
    const big = await client.post('/web/api/messages', undefined, { raw: JSON.stringify({ text: 'a'.repeat(16 * 1024), clientId: 'c1' }) });
    expect(big).toMatchObject({ status: 413, body: { error: 'too_large' } });
    expect((await client.post('/web/api/messages', undefined, { raw: '{"text": "x",' })).body).toMatchObject({ error: 'bad_json' });
    expect((await client.post('/web/api/messages', undefined, { raw: '[1]' })).status).toBe(400);
    expect((await client.post('/web/api/messages', { text: 'x', clientId: 'c1' }, { contentType: 'text/plain' })).status).toBe(415);
    expect((await client.post('/web/api/messages', { text: '', clientId: 'c1' })).body).toMatchObject({ error: 'bad_request' });
    expect((await client.post('/web/api/messages', { text: 'x', clientId: 'a b' })).status).toBe(400);
    expect((await client.post('/web/api/messages', { text: 'x', clientId: 'c1', replyTo: 5 })).status).toBe(400);
    expect((await client.post('/web/api/buttons', { messageId: '1', action: 'ans', payload: '9', clientId: 'c1' })).body).toMatchObject({ error: 'unknown_button' });
    expect((await createWebClient(h.base).post('/web/api/sign-in', undefined, { raw: 'nope' })).status).toBe(400);
    expect((await createWebClient(h.base).signIn('')).status).toBe(400);
    expect(h.events).toEqual([]);
    expect((await client.get('/web/api/session')).status).toBe(200);
  });

  it('a resent POST keeps its eventId and message id, and is stored once', async () => {
    h = await createWebHarness();
    const client = await h.clientOf('1001');
    const body = { text: 'Khi nào thông xe cầu Trường Tiền?', clientId: 'resend-1' };
    const first = await client.post('/web/api/messages', body);
    const second = await client.post('/web/api/messages', body);
    expect(second.body).toEqual(first.body);
    expect(h.events).toHaveLength(2);
    expect(h.events[1]!.eventId).toBe(h.events[0]!.eventId);
    expect(h.events[0]!.eventId).toBe(`web-1001-resend-1`);
    expect((h.events[1] as MessageEvent).messageId).toBe((h.events[0] as MessageEvent).messageId);
    expect((await h.adapter.timeline('1001')).filter((e) => e.text === body.text)).toHaveLength(1);
    await client.post('/web/api/messages', { text: '/hoi  giá vé? ', clientId: 'resend-2' });
    expect(h.events[2]).toMatchObject({ kind: 'command', command: 'hoi', args: 'giá vé?' } satisfies Partial<CommandEvent>);
  });

  it('pushes a message sent while the page listens, with heartbeats, and replays after Last-Event-ID', async () => {
    h = await createWebHarness({ heartbeatMs: 20 });
    const client = await h.clientOf('1001');
    const stream = await listen(h.base, client);
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get('content-type')).toContain('text/event-stream');
    await stream.until((t) => t.includes('retry:'));
    const question = await h.userMessage('1001', 'Bao giờ có kết quả?');
    const sent = await h.adapter.send('1001', { text: 'Tuần sau ạ.', replyTo: question.messageId });
    const text = await stream.until((t) => t.includes('Tuần sau') && t.includes(': ping'));
    const frame = text.split('\n\n').find((f) => f.includes('Tuần sau'))!;
    expect(frame).toContain(`id: ${sent.messageId}\nevent: message\ndata: `);
    expect(JSON.parse(frame.split('data: ')[1]!)).toMatchObject({ id: sent.messageId, from: 'bot', text: 'Tuần sau ạ.', replyTo: question.messageId });
    stream.close();
    const resumed = await listen(h.base, client, { 'last-event-id': question.messageId });
    expect(await resumed.until((t) => t.includes('Tuần sau'))).toContain('Tuần sau ạ.');
    const history = await client.get(`/web/api/messages?after=${question.messageId}`);
    expect(history.body.messages).toEqual([expect.objectContaining({ id: sent.messageId, text: 'Tuần sau ạ.' })]);
    await h.adapter.stop();
    await resumed.until(() => false);
    expect(resumed.ended).toBe(true);
  });

  it('edits a sent message in place: open pages get it again with a new event id, a catch-up by ?rev= finds it', async () => {
    h = await createWebHarness();
    expect(h.adapter.capabilities.edits).toBe(true);
    const client = await h.clientOf('1001');
    const progress = await h.adapter.send('1001', { text: 'Đã gửi 0/10', buttons: [[{ label: 'Dừng', action: 'stop', payload: '1' }]] });
    const stream = await listen(h.base, client);
    await stream.until((t) => t.includes('retry:'));
    await h.adapter.edit!('1001', progress.messageId, { text: 'Đã gửi 10/10' });
    const text = await stream.until((t) => t.includes('10/10'));
    const frame = text.split('\n\n').find((f) => f.includes('10/10'))!;
    const entry = JSON.parse(frame.split('data: ')[1]!) as { id: string; rev: string; editedAt?: string; buttons?: unknown };
    expect(entry).toMatchObject({ id: progress.messageId, text: 'Đã gửi 10/10', editedAt: expect.any(String) });
    expect(entry.buttons).toBeUndefined();
    expect(frame).toContain(`id: ${entry.rev}\n`);
    expect(Number(entry.rev)).toBeGreaterThan(Number(progress.messageId));
    const changes = await client.get(`/web/api/messages?rev=${Number(entry.rev) - 1}`);
    expect(changes.body.messages).toEqual([expect.objectContaining({ id: progress.messageId, text: 'Đã gửi 10/10' })]);
    expect(h.sentTo('1001')).toEqual([expect.objectContaining({ messageId: progress.messageId, text: 'Đã gửi 10/10' })]);
    await expect(h.adapter.edit!('1001', '999', { text: 'x' })).rejects.toBeInstanceOf(BadRequestError);
    await expect(h.adapter.edit!('1001', progress.messageId, { text: 'x'.repeat(5000) })).rejects.toBeInstanceOf(BadRequestError);
    await h.adapter.stop();
    await stream.until(() => false);
  });

  it('edits only a message\'s buttons (a page of choices turning): same text, new buttons, not marked edited', async () => {
    h = await createWebHarness();
    const client = await h.clientOf('1001');
    const list = await h.adapter.send('1001', { text: 'Chọn xã/phường', buttons: [[{ label: 'Phường A', action: 'nau', payload: 'o.1' }]] });
    await h.adapter.editButtons!('1001', list.messageId, [[{ label: '✓ Phường A', action: 'nau', payload: 'o.1' }], [{ label: 'Xong (1 đã chọn)', action: 'nau', payload: 'd' }]]);
    const [entry] = (await client.get('/web/api/messages')).body.messages as Array<{ id: string; text: string; editedAt?: string; buttons: Array<Array<{ label: string }>> }>;
    expect(entry).toMatchObject({ id: list.messageId, text: 'Chọn xã/phường' });
    expect(entry!.editedAt).toBeUndefined();
    expect(entry!.buttons.flat().map((b) => b.label)).toEqual(['✓ Phường A', 'Xong (1 đã chọn)']);
    await expect(h.adapter.editButtons!('1001', '999', [])).rejects.toBeInstanceOf(BadRequestError);
  });

  it('the preview\'s edit box: its text goes with the preview\'s own edit button, which settles it; refused for other messages, blank text or a settled preview', async () => {
    h = await createWebHarness({ previewActions: { confirm: 'aso', edit: 'aed', cancel: 'acn' }, settles: (a) => ['aso', 'aed', 'acn'].includes(a) });
    const client = await h.clientOf('1001');
    const buttons = [[{ label: 'Gửi câu trả lời', action: 'aso', payload: '7' }], [{ label: 'Sửa', action: 'aed', payload: '7' }, { label: 'Hủy', action: 'acn', payload: '7' }]];
    const preview = await h.adapter.send('1001', { text: 'Xem trước (CHƯA GỬI)', buttons });
    const plain = await h.adapter.send('1001', { text: 'Chọn', buttons: [[{ label: 'A', action: 'tp', payload: '1' }]] });
    expect((await client.post('/web/api/preview-edit', { messageId: plain.messageId, text: 'x', clientId: 'e1' })).body).toMatchObject({ error: 'unknown_button' });
    expect((await client.post('/web/api/preview-edit', { messageId: preview.messageId, text: '  ', clientId: 'e1' })).body).toMatchObject({ error: 'bad_request' });
    const other = await h.clientOf('1002');
    expect((await other.post('/web/api/preview-edit', { messageId: preview.messageId, text: 'x', clientId: 'e1' })).body).toMatchObject({ error: 'unknown_button' });
    const saved = await client.post('/web/api/preview-edit', { messageId: preview.messageId, text: 'Dòng một.\nDòng hai.', clientId: 'e2' });
    expect(saved.status).toBe(200);
    const event = await h.waitForEvent((e) => e.kind === 'button');
    expect(event).toMatchObject({ kind: 'button', messageId: preview.messageId, action: 'aed', payload: '7', text: 'Dòng một.\nDòng hai.' });
    const shown = (await client.get('/web/api/messages')).body.messages as Array<{ id: string; buttons?: Button[][] }>;
    expect(shown.find((m) => m.id === preview.messageId)!.buttons!.flat().map((b) => b.state)).toEqual(['disabled', 'chosen', 'disabled']);
    expect((await client.post('/web/api/preview-edit', { messageId: preview.messageId, text: 'Lần nữa.', clientId: 'e3' })).body).toEqual({ settled: true });
  });

  it('answers 503 and keeps no session when the bot cannot take the event', async () => {
    const { logger } = createCapturedLogger();
    const db = await createTestDb('sqlite');
    const adapter = createWebAdapter({ logger, store: createWebStore(db.db), redeemCode: async () => ({ status: 'invite' }) });
    const server = createHttpServer({ host: '127.0.0.1', port: 0, logger, webhooks: [], routes: adapter.routes, health: async () => ({ ok: true, details: {} }) });
    const base = `http://127.0.0.1:${(await server.start()).port}`;
    try {
      expect((await createWebClient(base).signIn('ABC')).status).toBe(503);
      await adapter.start(async () => { throw new Error('database down'); });
      const client = createWebClient(base);
      const reply = await client.signIn('ABC');
      expect(reply.body).toMatchObject({ error: 'unavailable', message_en: expect.any(String) });
      expect(client.cookie).toBeUndefined();
      const error = await adapter.send('anyone', { text: 'x' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnreachableError);
    } finally {
      await adapter.stop();
      await server.close();
      await db.drop();
    }
  });
});

describe('web sign-in through the real flows', () => {
  it('binds the browser identity to the invited person, and refuses the used code to another browser', async () => {
    const db = await createTestDb('sqlite');
    const h = await createWebHarness({ redeemCode: (code) => db.db.transaction().execute((tx) => redeemWebLoginCode(tx, code, new Date())) });
    try {
      const net = await seedMiniNetwork(db.db);
      const processor = createInboundProcessor({
        db: db.db, clock: systemClock, logger: createLogger({ level: 'silent' }), enqueueOutbox: async () => undefined, syncDeadlines: async () => undefined,
        settings: { maxTextChars: 4000, defaultLocale: 'vi', deadlines: createDeadlinePolicy({ db: db.db, loadCalendar: (via) => loadCalendar(via) }) },
      });
      // Delivers pending web outbox rows through the adapter, as the outbox worker would.
      const signInAndDeliver = async (code: string) => {
        const client = createWebClient(h.base);
        const reply = await client.signIn(code);
        await processor.accept(h.signIns.at(-1)!);
        await processor.drain();
        const rows = await db.db.selectFrom('outbox').selectAll().where('platform', '=', 'web').where('status', '=', 'pending').orderBy('id').execute();
        for (const row of rows) {
          await h.adapter.send(row.chat_id, { text: row.text, ...(row.buttons ? { buttons: JSON.parse(row.buttons) as Button[][] } : {}) });
          await db.db.updateTable('outbox').set({ status: 'sent' }).where('id', '=', row.id).execute();
        }
        return { client, userId: String(reply.body.userId) };
      };
      const first = await signInAndDeliver('inv-pv1');
      const identity = await db.db.selectFrom('identities').selectAll().where('platform', '=', 'web').where('platform_user_id', '=', first.userId).executeTakeFirstOrThrow();
      expect(identity).toMatchObject({ person_id: net.reporterId, chat_id: first.userId });
      const page = await first.client.get('/web/api/messages');
      expect((page.body.messages as Array<{ from: string; text: string }>).at(-1)).toMatchObject({ from: 'bot', text: expect.stringContaining('Trần Thị Phóng Viên') });
      const identitiesBefore = await db.db.selectFrom('identities').selectAll().execute();
      const second = await createWebClient(h.base).signIn('inv-pv1');
      expect(second).toMatchObject({ status: 400, body: { error: 'code_used' } });
      expect(second.headers.get('set-cookie')).toBeNull();
      expect(await db.db.selectFrom('identities').selectAll().execute()).toEqual(identitiesBefore);
    } finally {
      await h.teardown();
      await db.drop();
    }
  });
});
