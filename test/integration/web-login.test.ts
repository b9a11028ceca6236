import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/time/clock.js';
import { normaliseOneTimeCode as normaliseWebLoginCode } from '../../flows/one-time-code.js';
import { issueWebLoginCodeForPerson, redeemWebLoginCode, sendWebLoginCodeToChat } from '../../flows/web-login.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { linkChat, seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';
import { createFlowDriver } from '../helpers/flow-driver.js';
import { hashInviteCode } from '../../db/invite-hash.js';

const codeIn = (text: string) => /\b([A-Z2-9]{4}-[A-Z2-9]{4})\b/.exec(text)?.[1];

describe.each(testDialects())('web sign-in codes (%s)', (dialect) => {
  let db: TestDb;
  let net: MiniNetwork;
  const clock = createManualClock('2026-11-20T02:00:00Z');
  beforeEach(async () => {
    db = await createTestDb(dialect);
    net = await seedMiniNetwork(db.db);
  });
  afterEach(async () => { await db.drop(); });
  const redeem = (code: string) => db.db.transaction().execute((tx) => redeemWebLoginCode(tx, code, clock.now()));

  it('/web in a linked chat answers with a code (no link when the page address is unknown); it signs in once, as the person\'s web identity', async () => {
    await linkChat(db.db, net.reporterId, 'telegram', 'tg-1');
    const drive = createFlowDriver(db.db, clock);
    await drive.command('tg-1', 'web');
    const text = drive.last('tg-1').text;
    expect(text).toContain('Đăng nhập trang trò chuyện trên web');
    expect(text).toContain('10 phút');
    expect(text).not.toContain('http');
    const code = codeIn(text)!;
    expect(code).toBeDefined();
    // Only a hash is stored.
    const stored = await db.db.selectFrom('link_codes').selectAll().where('purpose', '=', 'web_login').execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(code.replace('-', ''));

    // Typed in lower case with a space instead of the dash: the same code.
    const first = await redeem(code.toLowerCase().replace('-', ' '));
    expect(first.status).toBe('ok');
    const ownerId = (first as { ownerId: string }).ownerId;
    const identity = await db.db.selectFrom('identities').selectAll().where('platform', '=', 'web').executeTakeFirstOrThrow();
    expect(identity).toMatchObject({ platform_user_id: ownerId, chat_id: ownerId, person_id: net.reporterId });
    expect(await redeem(code)).toEqual({ status: 'used' });

    // A second code signs in as the same web identity (same chat, same history).
    await drive.command('tg-1', 'web');
    expect(await redeem(codeIn(drive.last('tg-1').text)!)).toEqual({ status: 'ok', ownerId });
  });

  it('refuses an expired code, does not know a made-up one, and tells an unused invite from a used one', async () => {
    const issued = await db.db.transaction().execute((tx) => issueWebLoginCodeForPerson(tx, 'pn-syt', clock.now()));
    expect(issued?.fullName).toBe('Lê Văn Y Tế');
    clock.advance(10 * 60_000);
    expect(await redeem(issued!.code)).toEqual({ status: 'expired' });
    expect(await redeem('ABCD-EFGH')).toEqual({ status: 'unknown' });
    expect(await redeem('inv-pv1')).toEqual({ status: 'invite' });
    await db.db.updateTable('persons').set({ invite_used_at: clock.now().toISOString() }).where('invite_code', '=', hashInviteCode('inv-pv1')).execute();
    expect(await redeem('inv-pv1')).toEqual({ status: 'used' });
    expect(await redeem('made-up-code')).toEqual({ status: 'unknown' });
    expect(normaliseWebLoginCode('abcd-efg0')).toBeUndefined();
    expect(await db.db.transaction().execute((tx) => issueWebLoginCodeForPerson(tx, 'nobody', clock.now()))).toBeUndefined();
  });

  it('/web from a chat not linked to anyone says how to register, and issues nothing', async () => {
    const drive = createFlowDriver(db.db, clock);
    await drive.command('tg-stranger', 'web');
    expect(drive.last('tg-stranger').text).toContain('Bạn chưa đăng ký');
    expect(await db.db.selectFrom('link_codes').selectAll().execute()).toEqual([]);
  });

  it('"send me a code" sends to the person\'s linked chat, by directory code (any case) or phone (0… or +84…), and to nobody otherwise', async () => {
    await linkChat(db.db, net.reporterId, 'telegram', 'tg-9');
    await db.db.updateTable('persons').set({ phone: '0905123456' }).where('id', '=', net.reporterId).execute();
    const send = (who: string) => db.db.transaction().execute((tx) => sendWebLoginCodeToChat(tx, who, clock.now(), {
      defaultLocale: 'vi', webSignInUrl: (code) => `https://lienlac.example/web?code=${code}`,
    }));
    for (const who of ['PV1', 'pv1', '0905 123 456', '+84905123456']) {
      const [id] = await send(who);
      const row = await db.db.selectFrom('outbox').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ platform: 'telegram', chat_id: 'tg-9', status: 'pending' });
      expect(row.text).toContain('https://lienlac.example/web?code=');
      expect((await redeem(codeIn(row.text)!)).status).toBe('ok');
    }
    // Nobody by that name; someone with no linked chat; a phone two people share: nothing is sent.
    expect(await send('nobody')).toEqual([]);
    expect(await send('pn-syt')).toEqual([]);
    await db.db.updateTable('persons').set({ phone: '0905123456' }).where('id', '=', net.healthSpokesId).execute();
    await linkChat(db.db, net.healthSpokesId, 'telegram', 'tg-10');
    expect(await send('0905123456')).toEqual([]);
    expect(await send('x')).toEqual([]);
  });
});
