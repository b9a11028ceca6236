import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.js';
import { installZaloTokens } from '../../db/repositories/zalo-oa-tokens.js';
import { loadSecretBox } from '../../src/secrets-key.js';
import { TEST_APP_ID } from '../fakes/zalo-oa/harness.js';
import { tgUser } from '../helpers/e2e-app.js';
import { createZaloE2E, type ZaloE2E } from '../helpers/zalo-oa-e2e.js';

const REPORTER = '5720398470283746599';
const health = tgUser('Tuấn');
const admin = tgUser('Quản trị');
const coord = tgUser('Điều phối');
const RECHECK_MS = 300;

describe('Zalo OA credentials refused: answers wait, then go out once new tokens are installed (SQLite, Redis, fakes)', () => {
  let z: ZaloE2E;
  beforeAll(async () => {
    z = await createZaloE2E({ OUTBOX_CREDENTIALS_RECHECK_MS: String(RECHECK_MS) });
    await z.say(REPORTER, '/start pv-tto-01', 'Xin chào');
    for (const [user, code] of [[health, 'pn-syte-01'], [admin, 'admin-01'], [coord, 'dpv-vhtt-01']] as const) await z.e.say(user, `/start ${code}`, 'Xin chào');
  });
  afterAll(async () => { await z.close(); });

  const answerRow = (needle: string) => z.e.app.db.db.selectFrom('outbox').select(['id', 'status', 'held_reason', 'last_error', 'attempts'])
    .where('platform', '=', 'zalo_oa').where('text', 'like', `%${needle}%`).executeTakeFirstOrThrow();

  it('tokens rejected → the answer is held (not failed) → `zalo-oa tokens` from another process → delivered exactly once', async () => {
    const menu = await z.say(REPORTER, 'Bao giờ mở lại cầu Trường Tiền?', 'lĩnh vực nào');
    const confirm = await z.choose(REPORTER, menu, 'Y tế', 'Xác nhận gửi');
    const code = /Q-\d+/.exec((await z.choose(REPORTER, confirm, 'Gửi', 'Đã tiếp nhận')).text)![0];
    const notice = await z.e.nextTo(health, 0, (s) => s.text.includes(code));

    z.fake.expireAccessTokens();
    z.fake.revokeRefreshToken();
    const tokenCalls = z.fake.tokenCalls;
    const m = z.e.fake.sent.length;
    await z.e.answer(health, 'Cầu mở lại ngày 15/1.', notice.messageId);
    await z.e.nextTo(admin, m, 'mất quyền gửi tin');
    await expect.poll(async () => (await answerRow('15/1')).status, { timeout: 10_000 }).toBe('held');
    const held = await answerRow('15/1');
    expect(held.held_reason).toBe('credentials');
    expect(held.last_error).toMatch(/^held: credentials refused/);
    const list = await z.e.say(coord, '/held', 'Tin đang được giữ lại');
    expect(list.text).toContain(`${code} — `);
    expect(list.text).toContain('chờ quản trị viên khôi phục kênh Zalo OA');
    // Several re-check rounds pass: the answer stays held, and the spent refresh token is not tried again.
    // Each round's probe releases the row and counts one more refused attempt: wait for three rounds
    // by that count (however slow the machine), not for a fixed time.
    const probesBefore = z.fake.calls.length;
    const attemptsBefore = held.attempts;
    await expect.poll(async () => (await answerRow('15/1')).attempts, { timeout: 30_000 }).toBeGreaterThanOrEqual(attemptsBefore + 3);
    // Each probe puts the row back to pending for the moment its send is refused again: poll past that.
    await expect.poll(async () => (await answerRow('15/1')).status, { timeout: 10_000 }).toBe('held');
    expect(z.fake.tokenCalls - tokenCalls).toBe(1);
    expect(z.fake.calls.length).toBe(probesBefore);
    expect(z.fake.sent.filter((s) => s.text.includes('15/1'))).toEqual([]);

    // The operator runs `liaison zalo-oa tokens …`: another process, its own database handle.
    const pair = z.fake.issueTokens();
    const cli = createDb({ url: z.e.config.databaseUrl });
    try {
      await installZaloTokens(cli.db, TEST_APP_ID, { accessToken: pair.access_token, refreshToken: pair.refresh_token, accessExpiresAt: new Date(Date.now() + 25 * 3_600_000), refreshExpiresAt: null }, new Date(), loadSecretBox(z.e.config.secretsKey));
    } finally {
      await cli.close();
    }
    const delivered = await z.nextTo(REPORTER, 0, 'Cầu mở lại ngày 15/1.');
    expect(delivered.text).toContain(code);
    await expect.poll(async () => (await answerRow('15/1')).status).toBe('sent');
    // More rounds and another message later: still exactly one copy. Nothing marks a round that finds
    // nothing held, so this waits a lower bound of three rounds; no assertion depends on the machine's speed.
    await new Promise((resolve) => setTimeout(resolve, RECHECK_MS * 3));
    await z.say(REPORTER, '/help', 'Mạng lưới phát ngôn');
    expect(z.fake.sent.filter((s) => s.text.includes('Cầu mở lại ngày 15/1.'))).toHaveLength(1);
    expect((await answerRow('15/1')).held_reason).toBeNull();
  });
});
