import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPushEventByKey, insertPushEvent, listSubscriptions, readVapidKeys, readVapidPublicKey } from '../../db/repositories/web-push.js';
import { createPushSender } from '../../src/push/sender.js';
import { loadSecretBox } from '../../src/secrets-key.js';
import { systemClock } from '../../src/time/clock.js';
import { createWebClient, type WebClient } from '../fakes/web/client.js';
import { startFakePushService } from '../fakes/web-push/endpoint.js';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';

const reporter = tgUser('Thư');
const health = tgUser('Tuấn');

type FakePush = Awaited<ReturnType<typeof startFakePushService>>;

/** `HH:mm` in Asia/Ho_Chi_Minh, `deltaMin` minutes from now. */
function localHhmm(deltaMin: number): string {
  const d = new Date(Date.now() + 7 * 3_600_000 + deltaMin * 60_000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

async function ask(e: E2E, question: string): Promise<string> {
  await e.say(reporter, question, 'lĩnh vực nào');
  await e.press(reporter, 'Y tế', 'Xác nhận gửi');
  const accepted = await e.press(reporter, 'Gửi', 'Đã tiếp nhận');
  return /Q-\d+/.exec(accepted.text)![0];
}

/** Chat messages about inquiry `code` written for person `personId`. */
async function staffNotices(e: E2E, code: string, personId: number): Promise<number> {
  const rows = await e.app.db.db.selectFrom('outbox').innerJoin('inquiries', 'inquiries.id', 'outbox.inquiry_id')
    .select('outbox.id').where('inquiries.code', '=', code).where('outbox.ref_person_id', '=', personId).where('outbox.ref_kind', '=', 'staff_notice').execute();
  return rows.length;
}

describe('Web Push to staff (question from Telegram → the spokesperson\'s browser, through a local push service)', { timeout: 90_000 }, () => {
  let e: E2E;
  let push: FakePush;
  let web: WebClient;
  let personId: number;
  const logLines: string[] = [];

  beforeAll(async () => {
    push = await startFakePushService();
    e = await createE2E({ webPushAgent: push.agent, env: { WEB_PUSH_POLL_MS: '200', WEB_PUSH_SUBJECT: 'mailto:ops@lienlac.example.vn' }, logLines });
    await e.say(reporter, '/start pv-hue-01', 'Xin chào');
    await e.say(health, '/start pn-syte-01', 'Xin chào');
    const codeMsg = await e.say(health, '/web', 'Đăng nhập trang trò chuyện');
    const code = /([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(codeMsg.text)![1]!;
    web = createWebClient(`http://127.0.0.1:${e.app.httpPort}`);
    expect((await web.signIn(code)).status).toBe(200);
    const person = await e.app.db.db.selectFrom('persons').select('id').where('code', '=', 'PN-SYTE-01').executeTakeFirstOrThrow();
    personId = person.id;
  });
  afterAll(async () => { await e.close(); await push.stop(); });

  it('made VAPID keys at first start, kept them in the database, and never logged the private key', async () => {
    const keys = await readVapidKeys(e.app.db.db, loadSecretBox(e.config.secretsKey));
    expect(keys?.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    expect(logLines.join('\n')).not.toContain(keys!.privateKey);
    // Sealed at rest: the stored value is not the private key and does not contain it.
    const row = await e.app.db.db.selectFrom('web_push_keys').select('private_key').executeTakeFirstOrThrow();
    expect(row.private_key).toMatch(/^v1\./);
    expect(row.private_key).not.toContain(keys!.privateKey);
    const view = await web.get('/web/api/notify');
    expect(view.body).toMatchObject({ staff: true, pushEnabled: true, publicKey: keys!.publicKey, subscriptions: 0 });
  });

  it('a reporter cannot subscribe (staff only); a bad subscription is refused politely', async () => {
    const codeMsg = await e.say(reporter, '/web', 'Đăng nhập trang trò chuyện');
    const r = createWebClient(`http://127.0.0.1:${e.app.httpPort}`, 1);
    expect((await r.signIn(/([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(codeMsg.text)![1]!)).status).toBe(200);
    const refused = await r.post('/web/u/1/api/notify/subscribe', push.newSubscription());
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('not_staff');
    const bad = await web.post('/web/api/notify/subscribe', { endpoint: 'http://insecure.example/x', keys: { p256dh: 'a', auth: 'b' } });
    expect(bad.status).toBe(400);
    expect(String(bad.body.message_vi)).toContain('Yêu cầu');
    const noCsrf = await web.post('/web/api/notify/subscribe', push.newSubscription(), { csrf: undefined });
    expect(noCsrf.body.error).toBe('csrf');
  });

  it('one question → exactly one push, decrypted and VAPID-signed; a retried or concurrent sender sends nothing twice', async () => {
    const sub = push.newSubscription();
    expect((await web.post('/web/api/notify/subscribe', sub)).status).toBe(200);
    const code = await ask(e, 'Số ca sốt xuất huyết tại Huế tuần này?');
    await expect.poll(() => push.pushesTo(sub.endpoint).length, { timeout: 15_000 }).toBe(1);
    const got = push.pushesTo(sub.endpoint)[0]!;
    const payload = JSON.parse(got.payload) as { title: string; body: string; tag: string; url: string; urgent: boolean };
    expect(payload.title).toBe(`Câu hỏi mới ${code}`);
    expect(payload.body).toContain('sốt xuất huyết');
    expect(payload.urgent).toBe(false);
    expect(got.claims.sub).toBe('mailto:ops@lienlac.example.vn');
    expect(got.headers.urgency).toBe('normal');
    // The push event is done; run it again as a retried job would (back to pending), in two senders at once.
    // The fake push service has the message before the sender records the outcome: wait for the row.
    await expect.poll(async () => (await findPushEventByKey(e.app.db.db, payload.tag))?.status, { timeout: 10_000 }).toBe('done');
    const event = await findPushEventByKey(e.app.db.db, payload.tag);
    expect(event).toMatchObject({ status: 'done', outcome: 'sent', person_id: personId, kind: 'inquiry' });
    await e.app.db.db.updateTable('push_events').set({ status: 'pending' }).where('id', '=', event!.id).execute();
    const keys = (await readVapidKeys(e.app.db.db, loadSecretBox(e.config.secretsKey)))!;
    const again = () => createPushSender({ db: e.app.db.db, logger: e.logger, clock: systemClock, keys, subject: 'mailto:ops@lienlac.example.vn', agent: push.agent });
    await Promise.all([again().drain(), again().drain()]);
    await expect.poll(async () => (await findPushEventByKey(e.app.db.db, payload.tag))?.status, { timeout: 10_000 }).toBe('done');
    expect(push.pushesTo(sub.endpoint)).toHaveLength(1);
    expect(push.problems).toEqual([]);
    // The chat message (to the spokesperson's preferred chat: the web page they signed in to) was written once too.
    expect(await staffNotices(e, code, personId)).toBe(1);
  });

  it('quiet hours hold back an ordinary question (until they end), but not one on a 24-hour legal deadline', async () => {
    const sub = push.newSubscription();
    await web.post('/web/api/notify/subscribe', sub);
    const saved = await web.post('/web/api/notify/prefs', { events: ['inquiry', 'reminder', 'escalation', 'reply'], quiet: { from: localHhmm(-60), to: localHhmm(120) }, channel: 'both' });
    expect(saved.status).toBe(200);
    const before = push.received.length;
    const code = await ask(e, 'Lịch tiêm vắc-xin cúm mùa cho trẻ em?');
    const inquiry = await e.app.db.db.selectFrom('inquiries').select('id').where('code', '=', code).executeTakeFirstOrThrow();
    await expect.poll(async () => (await e.app.db.db.selectFrom('push_events').select('outcome').where('inquiry_id', '=', inquiry.id).executeTakeFirst())?.outcome, { timeout: 15_000 }).toBe('quiet');
    expect(push.received.length).toBe(before);
    // Held, not dropped: pending until the quiet hours end (test/integration/push-quiet-hours.test.ts sends it then).
    const held = await e.app.db.db.selectFrom('push_events').select(['status', 'not_before']).where('inquiry_id', '=', inquiry.id).executeTakeFirstOrThrow();
    expect(held.status).toBe('pending');
    expect(Date.parse(held.not_before!) - Date.now()).toBeGreaterThan(100 * 60_000);
    // The same person, the same quiet hours: an incident (24 hours, wall clock) rings through.
    await insertPushEvent(e.app.db.db, {
      event_key: 'test-urgent-1', person_id: personId, kind: 'inquiry', urgent: 1, title: 'Câu hỏi mới Q-999', body: 'Sự cố', inquiry_id: inquiry.id,
      status: 'pending', outcome: null, attempts: 0, created_at: new Date().toISOString(), done_at: null,
    });
    await expect.poll(() => push.pushesTo(sub.endpoint).length, { timeout: 15_000 }).toBe(1);
    expect(push.pushesTo(sub.endpoint)[0]!.headers.urgency).toBe('high');
    await web.post('/web/api/notify/prefs', { events: ['inquiry', 'reminder', 'escalation', 'reply'], quiet: null, channel: 'both' });
  });

  it('410 from the push service removes the subscription; the other browser still gets its push', async () => {
    const subs = await listSubscriptions(e.app.db.db, personId);
    expect(subs.length).toBeGreaterThanOrEqual(2);
    const [goneSub, kept] = [subs[0]!, subs[1]!];
    push.gone(goneSub.endpoint);
    const before = push.pushesTo(kept.endpoint).length;
    await ask(e, 'Kế hoạch diệt lăng quăng tháng 12?');
    await expect.poll(async () => (await listSubscriptions(e.app.db.db, personId)).map((s) => s.id), { timeout: 15_000 }).not.toContain(goneSub.id);
    await expect.poll(() => push.pushesTo(kept.endpoint).length, { timeout: 15_000 }).toBe(before + 1);
    expect(push.problems).toEqual([]);
  });

  it('turning the events off stops pushes; the chat message still arrives', async () => {
    await web.post('/web/api/notify/prefs', { events: ['reminder'], quiet: null, channel: 'both' });
    const before = push.received.length;
    const code = await ask(e, 'Số cơ sở y tế được cấp phép mới?');
    await expect.poll(() => staffNotices(e, code, personId), { timeout: 15_000 }).toBe(1);
    const inquiry = await e.app.db.db.selectFrom('inquiries').select('id').where('code', '=', code).executeTakeFirstOrThrow();
    await expect.poll(async () => (await e.app.db.db.selectFrom('push_events').select('outcome').where('inquiry_id', '=', inquiry.id).executeTakeFirst())?.outcome, { timeout: 15_000 }).toBe('off');
    expect(push.received.length).toBe(before);
    const bad = await web.post('/web/api/notify/prefs', { events: ['everything'], quiet: null, channel: 'both' });
    expect(bad.status).toBe(400);
  });

  it('a changed secrets key: one clear log line, pushes off, and the stored keys are NOT replaced (subscriptions depend on them)', async () => {
    const before = await e.app.db.db.selectFrom('web_push_keys').selectAll().executeTakeFirstOrThrow();
    writeFileSync(e.config.secretsKey.keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    const linesBefore = logLines.length;
    await e.restartBot();
    const said = logLines.slice(linesBefore).filter((l) => l.includes('VAPID private key cannot be decrypted'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('SECRETS_KEY or the key file changed');
    expect(await e.app.db.db.selectFrom('web_push_keys').selectAll().execute()).toEqual([before]);
    // The page still offers the same public key (no secret needed), so subscriptions keep working once the key is back.
    expect(await readVapidPublicKey(e.app.db.db)).toBe(before.public_key);
  });
});
