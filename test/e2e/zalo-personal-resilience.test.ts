import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testBox } from '../helpers/secrets.js';
import { ZaloApiError } from 'zca-js';
import { AuthError, UnreachableError, type MessageEvent } from '../../adapters/types.js';
import { writeCredentials } from '../../adapters/zalo-personal/credentials.js';
import { createZaloPersonalAdapter } from '../../adapters/zalo-personal/index.js';
import { createSecretBox } from '../../db/secret-box.js';
import { createEventCollector } from '../helpers/adapter-contract.js';
import { createCapturedLogger } from '../fakes/telegram/harness.js';
import { FakeZalo } from '../fakes/zalo-personal/fake-zca.js';
import { createZaloPersonalHarness, waitUntil, type ZaloPersonalHarness } from '../fakes/zalo-personal/harness.js';

const READER = '3000000000000000011';
const OTHER = '3000000000000000022';

const textsOf = (h: ZaloPersonalHarness) => h.events.filter((e): e is MessageEvent => e.kind === 'message').map((e) => e.text);
const messageEvent = (text: string) => (e: { kind: string; text?: string }): e is MessageEvent => e.kind === 'message' && e.text === text;

describe('zalo personal adapter: socket, duplicates, session (fake zca-js seam)', () => {
  let h: ZaloPersonalHarness;
  afterEach(async () => { await h.teardown(); });

  it('a 1006 drop reconnects; messages before, during and after the drop arrive once each, own messages never', async () => {
    h = await createZaloPersonalHarness();
    h.fake.userSends(READER, 'trước khi rớt mạng');
    await h.waitForEvent(messageEvent('trước khi rớt mạng'));
    await h.adapter.send(READER, { text: 'Bot đã nhận.' });
    h.fake.drop(1006);
    const during = h.fake.userSends(READER, 'trong lúc rớt mạng');
    expect(h.fake.connected).toBe(false);
    await h.waitForEvent(messageEvent('trong lúc rớt mạng'));
    expect(h.fake.connects).toBe(2);
    expect(h.fake.oldMessageRequests).toBe(1);
    h.fake.redeliver(during);
    h.fake.userSends(READER, 'sau khi nối lại');
    await h.waitForEvent(messageEvent('sau khi nối lại'));
    expect(textsOf(h)).toEqual(['trước khi rớt mạng', 'trong lúc rớt mạng', 'sau khi nối lại']);
    expect(h.events.map((e) => e.eventId)).toEqual([...new Set(h.events.map((e) => e.eventId))]);
    expect(h.logLines.some((l) => l.includes('socket closed; reconnecting') && l.includes('"code":1006'))).toBe(true);
  });

  it('the same cliMsgId delivered three times gives one event', async () => {
    h = await createZaloPersonalHarness();
    const first = h.fake.userSends(READER, 'câu hỏi một lần');
    h.fake.redeliver(first);
    h.fake.redeliver(first);
    h.fake.userSends(READER, 'tin tiếp theo');
    await h.waitForEvent(messageEvent('tin tiếp theo'));
    expect(textsOf(h)).toEqual(['câu hỏi một lần', 'tin tiếp theo']);
    expect(h.events[0]!.eventId).toBe(`${READER}-${first.data.cliMsgId}`);
  });

  it('two senders with the same cliMsgId are two events (the id is per sender)', async () => {
    h = await createZaloPersonalHarness();
    const a = h.fake.userSends(READER, 'từ người A');
    const copy = structuredClone(a.data);
    h.fake.redeliver({ ...a, data: { ...copy, uidFrom: OTHER, msgId: `${copy.msgId}9`, content: 'từ người B' } } as typeof a);
    await h.waitForEvent(messageEvent('từ người B'));
    expect(h.events.map((e) => e.from.id)).toEqual([READER, OTHER]);
  });

  it('group messages are ignored with a debug line; an error event does not stop the listener', async () => {
    h = await createZaloPersonalHarness();
    h.fake.userSends(READER, 'trong nhóm', { group: '5000000000000000001' });
    h.fake.emitError(new Error('decode failed'));
    h.fake.userSends(READER, 'tin riêng');
    await h.waitForEvent(messageEvent('tin riêng'));
    expect(textsOf(h)).toEqual(['tin riêng']);
    expect(h.logLines.some((l) => l.includes('group message ignored'))).toBe(true);
    expect(h.logLines.some((l) => l.includes('listener error') && l.includes('decode failed'))).toBe(true);
  });

  it('closed with 3000 (Zalo Web opened elsewhere) is logged loudly and retried after the longer wait', async () => {
    h = await createZaloPersonalHarness();
    h.fake.drop(3000);
    await waitUntil(() => h.fake.connected, 'the reconnect');
    const line = JSON.parse(h.logLines.find((l) => l.includes('KICKED'))!) as { level: number; delayMs: number };
    expect(line.level).toBe(50);
    expect(line.delayMs).toBeGreaterThanOrEqual(80); // kickedMs 100 ± 20 %, not the 5 ms base
  });

  it('error 123 on send is an UnreachableError and nothing is retried by the adapter', async () => {
    h = await createZaloPersonalHarness();
    h.fake.failNextSend(READER, new ZaloApiError('Không thể nhận tin nhắn từ bạn.', 123));
    const error = await h.adapter.send(READER, { text: 'trả lời' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as UnreachableError).reason).toBe('zalo_123_cannot_receive');
    expect(h.fake.sends).toEqual([]);
  });

  it('session expiry on a send: the admins are alerted once, sends are refused, no reconnect', async () => {
    h = await createZaloPersonalHarness();
    h.fake.expireSession();
    const first = await h.adapter.send(READER, { text: 'một' }).catch((e: unknown) => e);
    const second = await h.adapter.send(READER, { text: 'hai' }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(AuthError);
    expect(second).toBeInstanceOf(AuthError);
    await waitUntil(() => h.needsLogin.length > 0, 'the alert');
    expect(h.needsLogin).toEqual(['session_expired']);
    expect(h.adapter.needsLogin).toBe(true);
    expect(h.fake.connected).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.fake.connects).toBe(1);
    expect(h.needsLogin).toHaveLength(1);
  });

  it('saved credentials refused at start: alerted once, the process keeps running', async () => {
    const fake = new FakeZalo();
    fake.expireSession();
    h = await createZaloPersonalHarness({ fake, waitConnected: false });
    await waitUntil(() => h.needsLogin.length > 0, 'the alert');
    expect(h.needsLogin).toEqual(['login_refused']);
    await expect(h.adapter.send(READER, { text: 'x' })).rejects.toBeInstanceOf(AuthError);
    expect(h.needsLogin).toHaveLength(1);
  });

  it('no credentials file: alerted once with the reason', async () => {
    h = await createZaloPersonalHarness({ withCredentials: false });
    await waitUntil(() => h.needsLogin.length > 0, 'the alert');
    expect(h.needsLogin).toEqual(['no_credentials']);
    expect(h.fake.logins).toEqual([]);
  });

  it('a session file an earlier version wrote in clear is read, rewritten sealed (600), and a restart signs in from it', async () => {
    const fake = new FakeZalo();
    const dir = mkdtempSync(join(tmpdir(), 'zalo-clear-'));
    const path = join(dir, 'zalo-personal', 'credentials.json');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify({ cookie: fake.cookies, imei: 'fake-imei-0001', userAgent: 'Mozilla/5.0 (fake)' }, null, 2)}\n`, { mode: 0o644 });
    const cookieValue = String(fake.cookies[0]!.value);
    h = await createZaloPersonalHarness({ fake, dir });
    const onDisk = readFileSync(path, 'utf8');
    expect(onDisk).toMatch(/^v1\./);
    expect(onDisk).not.toContain('fake-imei-0001');
    expect(onDisk).not.toContain(cookieValue);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(h.logLines.some((l) => l.includes('encrypted the session file'))).toBe(true);
    await h.adapter.stop();
    h = await createZaloPersonalHarness({ fake, dir });
    await h.adapter.send(READER, { text: 'sau khi khởi động lại' });
    expect(fake.logins).toHaveLength(2);
    expect(h.needsLogin).toEqual([]);
  });

  it('a session file sealed under another key: one clear log line, the QR-login alert, no login attempt', async () => {
    const fake = new FakeZalo();
    const dir = mkdtempSync(join(tmpdir(), 'zalo-wrongkey-'));
    await writeCredentials(join(dir, 'zalo-personal', 'credentials.json'),
      { cookie: fake.cookies, imei: 'fake-imei-0001', userAgent: 'Mozilla/5.0 (fake)' }, createSecretBox(randomBytes(32)));
    h = await createZaloPersonalHarness({ fake, dir, waitConnected: false });
    await waitUntil(() => h.needsLogin.length > 0, 'the alert');
    expect(h.needsLogin).toEqual(['no_credentials']);
    expect(h.logLines.filter((l) => l.includes('SECRETS_KEY or the key file changed'))).toHaveLength(1);
    expect(fake.logins).toEqual([]);
  });

  it('credentials are mode 600; cookies Zalo refreshed are written back after a send', async () => {
    h = await createZaloPersonalHarness();
    expect(statSync(h.credentialsPath).mode & 0o777).toBe(0o600);
    const before = JSON.parse(testBox.open(readFileSync(h.credentialsPath, 'utf8').trim())) as { cookie: unknown[]; imei: string };
    h.fake.rotateCookies();
    await h.adapter.send(READER, { text: 'gửi' });
    const after = JSON.parse(testBox.open(readFileSync(h.credentialsPath, 'utf8').trim())) as { cookie: unknown[]; imei: string };
    expect(after.cookie).toEqual(h.fake.cookies);
    expect(after.cookie).not.toEqual(before.cookie);
    expect(after.imei).toBe(before.imei);
    expect(statSync(h.credentialsPath).mode & 0o777).toBe(0o600);
  });

  it('quotes a question received before a restart; an unknown replyTo is sent unquoted with a log line', async () => {
    h = await createZaloPersonalHarness();
    const question = h.fake.userSends(READER, 'Câu hỏi trước khi khởi động lại?');
    await h.waitForEvent(messageEvent('Câu hỏi trước khi khởi động lại?'));
    await h.adapter.stop();
    expect(statSync(h.recentPath).mode & 0o777).toBe(0o600);
    const restarted = await createZaloPersonalHarness({ fake: h.fake, dir: h.dir });
    await restarted.adapter.send(READER, { text: 'Trả lời sau khi khởi động lại.', replyTo: question.data.msgId });
    expect(h.fake.sends.at(-1)?.quote).toMatchObject({ msgId: question.data.msgId, cliMsgId: question.data.cliMsgId, uidFrom: READER, content: 'Câu hỏi trước khi khởi động lại?' });
    await restarted.adapter.send(READER, { text: 'Không rõ tin gốc.', replyTo: '123' });
    expect(h.fake.sends.at(-1)?.quote).toBeUndefined();
    expect(restarted.logLines.some((l) => l.includes('sending unquoted'))).toBe(true);
    await restarted.teardown();
  });
});

describe('zalo personal adapter: start order', () => {
  it('a send before start (boot-time outbox) logs in once; start then listens on that session', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zalo-order-'));
    const fake = new FakeZalo();
    const credentialsPath = join(dir, 'credentials.json');
    await writeCredentials(credentialsPath, { cookie: fake.cookies, imei: 'fake-imei-0001', userAgent: 'Mozilla/5.0 (fake)' }, testBox);
    const adapter = createZaloPersonalAdapter({
      client: fake, credentialsPath, box: testBox, logger: createCapturedLogger().logger, sendMinIntervalMs: 0, sendJitterMs: 0,
      rateLimitRetryMs: 1000, reconnect: { baseMs: 5, maxMs: 50, kickedMs: 100 }, onNeedsLogin: () => undefined,
    });
    const collector = createEventCollector();
    try {
      await adapter.send(READER, { text: 'gửi trước khi nghe' });
      await adapter.start(collector.onEvent);
      await waitUntil(() => fake.connected, 'the socket');
      fake.userSends(READER, 'nghe được');
      await collector.waitForEvent(messageEvent('nghe được'));
      expect(fake.logins).toHaveLength(1);
    } finally {
      await adapter.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('zalo personal adapter: pacing (virtual clock)', () => {
  it('sends one request at a time in call order (a long text\'s later parts queue behind), each 1200–1600 ms after the previous', async () => {
    let t = 1_000_000;
    const sleeps: number[] = [];
    const h = await createZaloPersonalHarness({
      adapter: { sendMinIntervalMs: 1200, sendJitterMs: 400, now: () => t, sleep: async (ms) => { sleeps.push(ms); t += ms; } },
    });
    h.fake.now = () => t;
    try {
      const long = `${'Một câu trả lời dài. '.repeat(120)}`.trim();
      await Promise.all([
        h.adapter.send(READER, { text: 'thứ nhất' }),
        h.adapter.send(OTHER, { text: long }),
        h.adapter.send(READER, { text: 'thứ ba' }),
      ]);
      const sends = h.fake.sends;
      // Each part is its own request to Zalo, so part 2 queues behind the send called before it.
      expect(sends.map((s) => `${s.threadId === READER ? 'R' : 'O'}:${s.text.slice(0, 8)}`)).toEqual(['R:thứ nhất', 'O:Một câu ', 'R:thứ ba', 'O:câu trả ']);
      const gaps = sends.slice(1).map((s, i) => s.at - sends[i]!.at);
      for (const gap of gaps) {
        expect(gap).toBeGreaterThanOrEqual(1200);
        expect(gap).toBeLessThanOrEqual(1600);
      }
      expect(sleeps).toHaveLength(3);
    } finally {
      await h.teardown();
    }
  });
});
