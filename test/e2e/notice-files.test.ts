import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayFetchFile } from '../../flows/files-access.js';
import { tgUser } from '../helpers/e2e-app.js';
import { sample, sha256 } from '../helpers/files.js';
import { createZaloE2E, type ZaloE2E } from '../helpers/zalo-oa-e2e.js';

const ZALO_CONTACT = '5720398470283746888';
const tgContact = tgUser('Nhung');
const coord = tgUser('Diệp');

describe('a notice with its decree attached, through the notices engine to Telegram and the Zalo OA', () => {
  let z: ZaloE2E;
  beforeAll(async () => {
    z = await createZaloE2E({ PUBLIC_URL: 'http://127.0.0.1:1' });
    await z.say(ZALO_CONTACT, '/start xa-thuanhoa-01', 'Xin chào');
    await z.e.say(tgContact, '/start xa-phuxuan-01', 'Xin chào');
    await z.e.say(coord, '/start dpv-vhtt-01', 'Xin chào');
  });
  afterAll(async () => { await z.close(); });

  /** The coordinator composes a notice, sending `file` as a document while composing; returns the preview. */
  async function compose(title: string, file: { bytes: Buffer; name: string }) {
    await z.e.say(coord, '/notice', 'Gửi tiêu đề');
    await z.e.say(coord, title, 'nội dung');
    await z.e.say(coord, 'Quyết định về giờ đóng cửa các điểm di tích, kèm theo.', 'đường link');
    const n = z.e.fake.sent.length;
    z.e.fake.userSendsFile(coord, { kind: 'document', bytes: file.bytes, name: file.name, mimeType: 'application/pdf' });
    await z.e.nextTo(coord, n, 'Đã đính kèm 1 tệp');
    await z.e.say(coord, '-', 'Gửi cho ai');
    return z.e.say(coord, 'org:P-THUANHOA,P-PHUXUAN', 'Xem trước thông báo');
  }

  it('the decree goes after the text: a document on Telegram, an uploaded file on Zalo; "1" still acknowledges', async () => {
    const decree = sample.pdf(700_000, 71);
    const preview = await compose('Quyết định 15/QĐ-UBND', { bytes: decree, name: 'QD-15-UBND.pdf' });
    expect(preview.text).toContain('📎 Kèm 1 tệp: QD-15-UBND.pdf');
    const zn = z.fake.sent.length;
    const tn = z.e.fake.sent.length;
    await z.e.press(coord, 'Gửi', 'Đang gửi thông báo');
    const onTg = await z.e.nextTo(tgContact, tn, 'Quyết định 15/QĐ-UBND');
    const docOnTg = await z.e.nextTo(tgContact, tn, (s) => s.file?.sha256 === sha256(decree));
    expect(docOnTg.file).toMatchObject({ name: 'QD-15-UBND.pdf', method: 'sendDocument' });
    expect(onTg.replyMarkup?.inline_keyboard.flat().map((b) => b.text)).toBeUndefined();
    expect(docOnTg.replyMarkup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['✅ Đã nhận']);
    const onZalo = await z.nextTo(ZALO_CONTACT, zn, 'Quyết định 15/QĐ-UBND');
    const fileOnZalo = await z.nextTo(ZALO_CONTACT, zn, (s) => s.file?.sha256 === sha256(decree));
    expect(fileOnZalo.file).toMatchObject({ type: 'file', name: 'QD-15-UBND.pdf' });
    expect(onZalo.text).toMatch(/1\. ✅ Đã nhận/);
    // The reply "1" quotes the text (where the choices are), not the file.
    await z.choose(ZALO_CONTACT, onZalo, 'Đã nhận', 'đã ghi nhận');
    const files = await z.e.app.db.db.selectFrom('attachments').select(['notice_id', 'sender_person_id']).where('sha256', '=', sha256(decree)).execute();
    expect(files).toHaveLength(1);
    expect(files[0]!.notice_id).not.toBeNull();
  });

  it('a decree too large for the Zalo OA (6 MB) reaches the Zalo contact as a link that works for them, and nobody else', async () => {
    const big = sample.pdf(6 * 1024 * 1024, 72);
    await compose('Quyết định 16/QĐ-UBND', { bytes: big, name: 'QD-16-UBND.pdf' });
    const zn = z.fake.sent.length;
    const tn = z.e.fake.sent.length;
    await z.e.press(coord, 'Gửi', 'Đang gửi thông báo');
    await z.e.nextTo(tgContact, tn, (s) => s.file?.sha256 === sha256(big));
    const onZalo = await z.nextTo(ZALO_CONTACT, zn, 'Quyết định 16/QĐ-UBND');
    expect(z.fake.sent.slice(zn).some((s) => s.userId === ZALO_CONTACT && s.file)).toBe(false);
    const link = /http:\/\/127\.0\.0\.1:1(\/files\/download\?\S+)/.exec(onZalo.text)?.[1];
    expect(link).toBeDefined();
    // The link line comes before the numbered choice.
    expect(onZalo.text.indexOf('QD-16-UBND.pdf')).toBeLessThan(onZalo.text.indexOf('1. ✅ Đã nhận'));
    const res = await fetch(`http://127.0.0.1:${z.e.app.httpPort}${link!}`);
    expect(res.status).toBe(200);
    expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(big));
    // Access is checked on every download: the notice's recipients may, someone it was not sent to may not.
    const db = z.e.app.db.db;
    const file = await db.selectFrom('attachments').selectAll().where('sha256', '=', sha256(big)).executeTakeFirstOrThrow();
    const personOf = async (code: string) => (await db.selectFrom('persons').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
    const today = new Date().toISOString().slice(0, 10);
    expect(await mayFetchFile(db, await personOf('DM-THUANHOA'), file, today)).toBe(true);
    expect(await mayFetchFile(db, await personOf('DM-KIMLONG'), file, today)).toBe(false);
  });
});
