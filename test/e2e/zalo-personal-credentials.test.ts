import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRETS_KEY, testBox } from '../helpers/secrets.js';
import { writeCredentials } from '../../adapters/zalo-personal/credentials.js';
import { runZaloLogin } from '../../src/zalo-login.js';
import { FakeZalo } from '../fakes/zalo-personal/fake-zca.js';
import { waitUntil } from '../fakes/zalo-personal/harness.js';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';

const reporter = tgUser('Thư');
const admin = tgUser('Quản trị');
/** The health spokesperson, on the bot's personal Zalo account. */
const HEALTH = '4000000000000000124';
const RECHECK_MS = 300;

describe('personal Zalo session expired: messages wait for `liaison zalo login` + restart, then go out once', () => {
  let e: E2E;
  let fake: FakeZalo;
  let dir: string;
  let credentials: string;

  beforeAll(async () => {
    fake = new FakeZalo();
    dir = mkdtempSync(join(tmpdir(), 'zalo-cred-e2e-'));
    credentials = join(dir, 'credentials.json');
    await writeCredentials(credentials, { cookie: fake.cookies, imei: 'fake-imei-0001', userAgent: 'Mozilla/5.0 (fake)' }, testBox);
    e = await createE2E({
      zcaClient: fake,
      env: {
        ZALO_PERSONAL_ENABLED: 'true', ZALO_PERSONAL_CREDENTIALS_FILE: credentials, SECRETS_KEY: TEST_SECRETS_KEY, ZALO_PERSONAL_SEND_INTERVAL_MS: '0',
        ZALO_PERSONAL_SEND_JITTER_MS: '0', OUTBOX_CREDENTIALS_RECHECK_MS: String(RECHECK_MS),
      },
    });
    await waitUntil(() => fake.connected, 'the Zalo socket');
    for (const [user, code] of [[reporter, 'pv-hue-01'], [admin, 'admin-01']] as const) await e.say(user, `/start ${code}`, 'Xin chào');
    fake.userSends(HEALTH, '/start pn-syte-01');
    await waitUntil(() => fake.sends.some((s) => s.threadId === HEALTH && s.text.includes('Xin chào')), 'the welcome on Zalo');
  });
  afterAll(async () => {
    await e.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a notification refused with 102 is held (not failed), survives re-checks, and is delivered once after the new login', async () => {
    fake.expireSession();
    const n = e.fake.sent.length;
    await e.say(reporter, 'Lịch tiêm vắc-xin sởi tháng này?', 'lĩnh vực nào');
    await e.press(reporter, 'Y tế', 'Xác nhận gửi');
    const code = /Q-\d+/.exec((await e.press(reporter, 'Gửi', 'Đã tiếp nhận')).text)![0];
    await e.nextTo(admin, n, 'liaison zalo login');
    const row = () => e.app.db.db.selectFrom('outbox').select(['status', 'held_reason', 'attempts'])
      .where('platform', '=', 'zalo_personal').where('chat_id', '=', HEALTH).where('text', 'like', `%${code}%`).executeTakeFirstOrThrow();
    await expect.poll(async () => (await row()).status, { timeout: 10_000 }).toBe('held');
    expect((await row()).held_reason).toBe('credentials');
    // Three re-check rounds, counted by the probes' refused attempts (not a fixed sleep); a probe puts
    // the row back to pending for the moment its send is refused again, so poll for held after it.
    const attemptsBefore = (await row()).attempts;
    await expect.poll(async () => (await row()).attempts, { timeout: 30_000 }).toBeGreaterThanOrEqual(attemptsBefore + 3);
    await expect.poll(async () => (await row()).status, { timeout: 10_000 }).toBe('held');
    expect(fake.sends.filter((s) => s.text.includes(code))).toEqual([]);

    await runZaloLogin({ client: fake, credentialsPath: credentials, box: testBox, qrImagePath: join(dir, 'qr.png'), timeoutMs: 5000, print: () => undefined });
    // The new session is sealed at rest: no cookie value, no imei in the file.
    const onDisk = readFileSync(credentials, 'utf8');
    expect(onDisk).not.toContain('fake-imei-0001');
    expect(onDisk).not.toContain(String(fake.cookies[0]!.value));
    expect(statSync(credentials).mode & 0o777).toBe(0o600);
    await e.restartBot();
    await waitUntil(() => fake.sends.some((s) => s.threadId === HEALTH && s.text.includes(code)), 'the held notification', 10_000);
    await expect.poll(async () => (await row()).status, { timeout: 10_000 }).toBe('sent');
    // A lower bound of three rounds after delivery (nothing marks a round that finds nothing held).
    await new Promise((resolve) => setTimeout(resolve, RECHECK_MS * 3));
    expect(fake.sends.filter((s) => s.text.includes(code))).toHaveLength(1);
  });
});
