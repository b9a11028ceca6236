import { readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { testBox } from '../helpers/secrets.js';
import { AuthError, type MessageEvent } from '../../adapters/types.js';
import { NO_MESSAGE_ID_PREFIX } from '../../adapters/zalo-personal/index.js';
import { FakeZalo, type LoginFailure } from '../fakes/zalo-personal/fake-zca.js';
import { createZaloPersonalHarness, waitUntil, type ZaloPersonalHarness } from '../fakes/zalo-personal/harness.js';

const READER = '3000000000000000011';
const messageEvent = (text: string) => (e: { kind: string; text?: string }): e is MessageEvent => e.kind === 'message' && e.text === text;

/** The zca-js 2.2.0 behaviours the adapter must survive (README "What is confirmed"). */
describe('zalo personal adapter as zca-js 2.2.0 behaves (fake seam)', () => {
  let h: ZaloPersonalHarness;
  afterEach(async () => { await h.teardown(); });

  describe('login', () => {
    it.each<LoginFailure>(['http', 'server_info', 'network'])('a %s failure at login is retried with backoff, with no alert and no QR request', async (kind) => {
      const fake = new FakeZalo();
      fake.failLogins(kind, kind);
      h = await createZaloPersonalHarness({ fake, waitConnected: false });
      await waitUntil(() => fake.connected, 'the connection after the retries');
      expect(fake.logins).toHaveLength(3);
      expect(h.needsLogin).toEqual([]);
      expect(h.adapter.needsLogin).toBe(false);
      expect(h.logLines.filter((l) => l.includes('login failed; retrying'))).toHaveLength(2);
    });

    it('Zalo refusing the saved login asks for a new QR scan, once, and stops trying', async () => {
      const fake = new FakeZalo();
      fake.failLogins('refused');
      h = await createZaloPersonalHarness({ fake, waitConnected: false });
      await waitUntil(() => h.needsLogin.length > 0, 'the alert');
      expect(h.needsLogin).toEqual(['login_refused']);
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(fake.logins).toHaveLength(1);
    });
  });

  describe('a session that ends', () => {
    it('error 600 on a send ("zpw_sek bị thiếu hoặc không đúng") is a dead session: AuthError, one alert, no retry as transient', async () => {
      h = await createZaloPersonalHarness();
      h.fake.expireSession(600);
      const thrown = await h.adapter.send(READER, { text: 'trả lời' }).catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(AuthError);
      await waitUntil(() => h.needsLogin.length > 0, 'the alert');
      expect(h.needsLogin).toEqual(['session_expired']);
    });

    it('closed with 3003 (opened elsewhere): logs in again from the saved credentials instead of reopening the old session', async () => {
      h = await createZaloPersonalHarness();
      h.fake.kick({ sessionDies: false });
      await waitUntil(() => h.fake.connected, 'the reconnect');
      expect(h.fake.logins).toHaveLength(2);
      expect(h.fake.connects).toBe(2);
      h.fake.userSends(READER, 'sau khi bị đẩy ra');
      await h.waitForEvent(messageEvent('sau khi bị đẩy ra'));
    });

    it('closed with 3003 and the session gone: the re-login is refused and the admins are asked for a QR scan, without reopening the dead session', async () => {
      h = await createZaloPersonalHarness();
      h.fake.kick({ sessionDies: true });
      await waitUntil(() => h.needsLogin.length > 0, 'the alert');
      expect(h.needsLogin).toEqual(['login_refused']);
      expect(h.fake.connects).toBe(1);
      await expect(h.adapter.send(READER, { text: 'x' })).rejects.toBeInstanceOf(AuthError);
    });
  });

  describe('socket', () => {
    it('a failed reconnect (error, then closed) counts once: no re-login after a drop and one failed attempt', async () => {
      h = await createZaloPersonalHarness();
      h.fake.failConnects(1);
      h.fake.drop(1006);
      await waitUntil(() => h.fake.connected, 'the reconnect');
      expect(h.fake.connects).toBe(3);
      expect(h.fake.logins).toHaveLength(1);
      expect(h.logLines.filter((l) => l.includes('socket closed; reconnecting')).map((l) => (JSON.parse(l) as { delayMs: number }).delayMs).length).toBe(2);
    });

    it('three failed reconnects in a row log in again', async () => {
      h = await createZaloPersonalHarness();
      h.fake.failConnects(2);
      h.fake.drop(1006);
      await waitUntil(() => h.fake.connected, 'the reconnect');
      expect(h.fake.logins).toHaveLength(2);
    });

    it('the catch-up after a reconnect is asked for once the cipher key came, so what arrived during the gap is not lost', async () => {
      h = await createZaloPersonalHarness();
      h.fake.drop(1006);
      h.fake.userSends(READER, 'trong lúc mất kết nối');
      await h.waitForEvent(messageEvent('trong lúc mất kết nối'));
      expect(h.fake.oldMessageRequests).toBe(1);
      expect(h.logLines.some((l) => l.includes('missing cipher key'))).toBe(false);
    });

    it('a recall replayed by the catch-up (a deleteMsg item) is ignored, not taken for an empty message', async () => {
      h = await createZaloPersonalHarness();
      h.fake.drop(1006);
      const recalled = h.fake.userSends(READER, 'tin sẽ thu hồi');
      h.fake.userRecalls(recalled);
      h.fake.userSends(READER, 'tin sau');
      await h.waitForEvent(messageEvent('tin sau'));
      expect(h.events.filter((e) => e.kind === 'message' && e.text === '')).toEqual([]);
    });
  });

  describe('sending', () => {
    it('a send Zalo accepts without a msgId (zca-js #312) counts as sent, once, with a stand-in id', async () => {
      h = await createZaloPersonalHarness();
      h.fake.sendWithoutMsgId(1);
      const result = await h.adapter.send(READER, { text: 'gửi không có mã' });
      expect(result.messageId.startsWith(NO_MESSAGE_ID_PREFIX)).toBe(true);
      expect(h.fake.sends.map((s) => s.text)).toEqual(['gửi không có mã']);
      expect(h.logLines.some((l) => l.includes('#312'))).toBe(true);
    });

    it('the credentials file is not rewritten when only tough-cookie\'s lastAccessed changed; it is when Zalo changes the session cookie', async () => {
      h = await createZaloPersonalHarness();
      await h.adapter.send(READER, { text: 'một' });
      const first = readFileSync(h.credentialsPath, 'utf8');
      await h.adapter.send(READER, { text: 'hai' });
      await h.adapter.send(READER, { text: 'ba' });
      expect(readFileSync(h.credentialsPath, 'utf8')).toBe(first);
      h.fake.rotateCookies();
      await h.adapter.send(READER, { text: 'bốn' });
      const saved = JSON.parse(testBox.open(readFileSync(h.credentialsPath, 'utf8').trim())) as { cookie: Array<{ value: string }> };
      expect(saved.cookie[0]?.value).toBe(h.fake.cookies[0]?.value);
      expect(saved.cookie[0]?.value).not.toBe((JSON.parse(testBox.open(first.trim())) as typeof saved).cookie[0]?.value);
      expect(statSync(h.credentialsPath).mode & 0o777).toBe(0o600);
    });
  });
});
