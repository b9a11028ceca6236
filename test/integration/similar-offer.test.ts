import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Button, InboundEvent } from '../../adapters/types.js';
import { createManualClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { addReporter, linkChat, seedMiniNetwork } from '../helpers/directory-fixture.js';
import type { DeliveredPart, MemoryAdapter } from '../helpers/memory-adapter.js';
import { startTwoChannels, type TwoChannels } from '../helpers/two-channels.js';

const VACCINE = 'Lịch tiêm vắc-xin sởi cho trẻ dưới 5 tuổi tại Huế thế nào?';
/** The same question typed without diacritics. */
const VACCINE_PLAIN = 'Tiem vac xin soi cho tre duoi 5 tuoi tai Hue lich the nao?';
const THEFT = 'Tình hình trộm cắp xe máy ở phường Phú Hội tháng này ra sao?';

/**
 * Similar questions offered before a reporter sends one (issue #14), on a channel with buttons
 * (Telegram) and one without (a Zalo stand-in: numbered choices), through the real inbound
 * processor, outbox dispatcher and BullMQ; and the likely duplicates on a coordinator's screening notice.
 */
describe.each(testDialects())('similar questions before sending, on %s', (dialect) => {
  const clock = createManualClock('2026-11-23T02:00:00Z');
  let t: TestDb;
  let ch: TwoChannels;
  let zalo: MemoryAdapter;
  let tg: MemoryAdapter;
  let seq = 0;

  beforeEach(async () => {
    t = await createTestDb(dialect);
    await seedMiniNetwork(t.db);
    await addReporter(t.db, 'pv2', 'Nguyễn Văn Hai');
    ch = await startTwoChannels(t.db, clock, `similar-${dialect}`);
    ({ zalo, tg } = ch);
    for (const [adapter, user, text] of [[tg, 't1', '/start inv-pv1'], [zalo, 'z2', 'inv-pv2'], [tg, 't-syt', '/start inv-pn-syt'], [tg, 't-dm', '/start inv-dm1']] as const) await say(adapter, user, text);
  });
  afterEach(async () => {
    await ch.close();
    await t.drop();
  });

  /** Feeds one event from `user`; returns what they received because of it. */
  async function emit(adapter: MemoryAdapter, user: string, event: Record<string, unknown>): Promise<DeliveredPart[]> {
    const before = adapter.deliveredTo(user).length;
    seq += 1;
    await adapter.emit({ platform: adapter.platform, eventId: `e${seq}`, from: { id: user }, chatId: user, at: clock.now(), raw: null, messageId: `u${seq}`, ...event } as InboundEvent);
    await ch.settle();
    return adapter.deliveredTo(user).slice(before);
  }
  const say = (adapter: MemoryAdapter, user: string, text: string) => emit(adapter, user, text.startsWith('/')
    ? { kind: 'command', command: text.slice(1).split(' ')[0]!, args: text.split(' ').slice(1).join(' ') }
    : { kind: 'message', text });
  /** The buttons of the last message sent to `user`. */
  const buttonsOf = (adapter: MemoryAdapter, user: string): Button[] => adapter.sends.filter((s) => s.chatId === user).at(-1)!.message.buttons?.flat() ?? [];
  /** Presses the button labelled `label` on the last message `user` got (Telegram); a number typed on Zalo. */
  async function press(adapter: MemoryAdapter, user: string, label: string): Promise<DeliveredPart[]> {
    if (adapter === zalo) {
      const line = adapter.deliveredTo(user).at(-1)!.text.split('\n').find((l) => /^\d+\. /.test(l) && l.includes(label));
      if (!line) throw new Error(`no choice "${label}" in: ${adapter.deliveredTo(user).at(-1)!.text}`);
      return say(adapter, user, line.split('.')[0]!);
    }
    const b = buttonsOf(adapter, user).find((x) => x.label === label);
    if (!b) throw new Error(`no button "${label}" in: ${buttonsOf(adapter, user).map((x) => x.label).join(', ')}`);
    return emit(adapter, user, { kind: 'button', action: b.action, payload: b.payload });
  }
  /** Asks `question` and picks `topic`: the confirmation prompt. */
  async function askUpTo(adapter: MemoryAdapter, user: string, question: string, topic: string): Promise<DeliveredPart> {
    await say(adapter, user, question);
    return (await press(adapter, user, topic)).at(-1)!;
  }
  async function ask(adapter: MemoryAdapter, user: string, question: string, topic: string): Promise<string> {
    await askUpTo(adapter, user, question, topic);
    const accepted = await press(adapter, user, 'Gửi');
    return /Q-\d+/.exec(accepted.at(-1)!.text)![0];
  }
  const inquiryCount = async () => (await t.db.selectFrom('inquiries').select('id').execute()).length;
  const followerRows = () => t.db.selectFrom('inquiry_followers').select(['inquiry_id', 'person_id']).execute();

  it('offers the same topic\'s open question by code, first words and state (never who asked); a number on Zalo follows it and nothing is created', async () => {
    const first = await ask(tg, 't1', VACCINE, 'Y tế');
    await ask(tg, 't1', THEFT, 'An ninh trật tự');
    // Without similar questions, the prompt is the plain one.
    const plain = await askUpTo(zalo, 'z2', 'Giá vé tham quan Đại Nội năm 2027 có tăng không?', 'Y tế');
    expect(plain.text).not.toContain('tương tự');
    expect(buttonsOf(zalo, 'z2').map((b) => b.action)).toEqual(['aok', 'aok', 'aok', 'acx']);
    await press(zalo, 'z2', 'Hủy');

    // Another topic: the health question is not offered.
    const elsewhere = await askUpTo(zalo, 'z2', VACCINE_PLAIN, 'An ninh trật tự');
    expect(elsewhere.text).not.toContain(first);
    expect(buttonsOf(zalo, 'z2').some((b) => b.action === 'afw')).toBe(false);
    await press(zalo, 'z2', 'Hủy');

    const confirm = await askUpTo(zalo, 'z2', VACCINE_PLAIN, 'Y tế');
    expect(confirm.text).toContain(`Đã có câu hỏi tương tự ${first}, đang chờ trả lời — theo dõi câu hỏi đó?`);
    expect(confirm.text).toContain('Lịch tiêm vắc-xin sởi');
    expect(confirm.text).not.toContain('Trần Thị Phóng Viên');
    expect(confirm.text).toMatch(new RegExp(`\\n\\d+\\. Theo dõi ${first}\\n`));
    expect(buttonsOf(zalo, 'z2').map((b) => b.label)).toEqual(['Gửi', expect.any(String), expect.any(String), `Theo dõi ${first}`, 'Hủy']);
    const before = await inquiryCount();
    const followed = await press(zalo, 'z2', `Theo dõi ${first}`);
    expect(followed.at(-1)!.text).toContain(`Bạn đang theo dõi câu hỏi ${first}; câu hỏi của bạn không được gửi. Khi ${first} có câu trả lời`);
    expect(await inquiryCount()).toBe(before);
    const pv2 = (await t.db.selectFrom('persons').select('id').where('code', '=', 'pv2').executeTakeFirstOrThrow()).id;
    expect(await followerRows()).toEqual([{ inquiry_id: Number(first.slice(2)), person_id: pv2 }].map((r) => expect.objectContaining(r)));
    // The dialog ended: "Gửi" of that prompt no longer sends anything.
    expect((await say(zalo, 'z2', '1')).at(-1)!.text).not.toContain('Đã tiếp nhận');
    expect(await inquiryCount()).toBe(before);
    // Once followed, the same question is no longer offered to follow.
    await askUpTo(zalo, 'z2', VACCINE_PLAIN, 'Y tế');
    expect(buttonsOf(zalo, 'z2').some((b) => b.action === 'afw')).toBe(false);
  });

  it('in English for an English speaker: an answered question, followed with a button, brings its answer now; withdrawn and declined ones are not offered', async () => {
    const answered = await ask(tg, 't1', VACCINE, 'Y tế');
    await say(tg, 't-syt', `/answer ${answered}`);
    await say(tg, 't-syt', 'Trạm y tế phường tiêm vào thứ Năm hằng tuần.');
    await say(tg, 't-syt', 'gửi');
    const withdrawn = await ask(tg, 't1', 'Tiêm vắc-xin sởi cho trẻ dưới 5 tuổi ở Huế: lịch mới thế nào?', 'Y tế');
    await say(tg, 't1', `/withdraw ${withdrawn}`);
    const declined = await ask(tg, 't1', 'Lịch tiêm vắc-xin sởi cho trẻ dưới 5 tuổi tại Huế đã đổi chưa?', 'Y tế');
    await t.db.updateTable('inquiries').set({ status: 'declined' }).where('code', '=', declined).execute();
    expect((await t.db.selectFrom('inquiries').select(['code', 'status']).orderBy('id').execute()).map((r) => r.status)).toEqual(['answered', 'withdrawn', 'declined']);

    const pv2 = await t.db.updateTable('persons').set({ locale: 'en' }).where('code', '=', 'pv2').returning('id').executeTakeFirstOrThrow();
    // Her second chat (she joined on Zalo), linked as /link would.
    await linkChat(t.db, pv2.id, 'telegram', 't2');
    const confirm = await askUpTo(tg, 't2', VACCINE_PLAIN, 'Y tế');
    expect(confirm.text).toContain(`A similar question exists: ${answered}, answered — follow it?`);
    expect(confirm.text).not.toContain(withdrawn);
    expect(confirm.text).not.toContain(declined);
    expect(buttonsOf(tg, 't2').filter((b) => b.action === 'afw').map((b) => b.label)).toEqual([`Follow ${answered}`]);
    const follow = buttonsOf(tg, 't2').find((b) => b.action === 'afw')!;
    const got = await press(tg, 't2', `Follow ${answered}`);
    expect(got[0]!.text).toContain(`You are following inquiry ${answered}; your question was not sent. ${answered} has been answered`);
    expect(got.at(-1)!.text).toContain('Trạm y tế phường tiêm vào thứ Năm hằng tuần.');
    expect(got.at(-1)!.text).toContain(`Inquiry ${answered}`);
    expect(await inquiryCount()).toBe(3);
    // A second press of the settled prompt changes nothing.
    expect((await emit(tg, 't2', { kind: 'button', action: follow.action, payload: follow.payload })).at(-1)!.text).toContain('already recorded');
    expect(await followerRows()).toHaveLength(1);
    // `/follow` of an answered question (here after `/unfollow`, on her Zalo chat) brings its answer too; once.
    await say(zalo, 'z2', `/unfollow ${answered}`);
    const again = await say(zalo, 'z2', `/follow ${answered}`);
    expect(again[0]!.text).toContain(`You are following inquiry ${answered}. It has been answered`);
    expect(again.at(-1)!.text).toContain('Trạm y tế phường tiêm vào thứ Năm hằng tuần.');
    expect((await say(zalo, 'z2', `/follow ${answered}`)).map((p) => p.text).join('\n')).not.toContain('Trạm y tế phường');
  });

  it('following a question (the web page\'s panel, or /follow) while one\'s own question waits for its topic or confirmation follows it instead: the question is not sent, and the reporter is told so', async () => {
    const first = await ask(tg, 't1', VACCINE, 'Y tế');
    const before = await inquiryCount();
    // Waiting for its topic (the page's panel offers the similar question then).
    await say(zalo, 'z2', VACCINE_PLAIN);
    const followed = await say(zalo, 'z2', `/follow ${first}`);
    expect(followed.at(-1)!.text).toContain(`Bạn đang theo dõi câu hỏi ${first}; câu hỏi của bạn không được gửi.`);
    const pv2 = (await t.db.selectFrom('persons').select('id').where('code', '=', 'pv2').executeTakeFirstOrThrow()).id;
    expect(await followerRows()).toEqual([expect.objectContaining({ inquiry_id: Number(first.slice(2)), person_id: pv2 })]);
    // The dialog ended: choosing a topic now sends nothing.
    expect((await say(zalo, 'z2', '1')).at(-1)!.text).not.toContain('Xác nhận gửi');
    expect(await inquiryCount()).toBe(before);
    // Waiting for its confirmation, in English: the same, in her language.
    await t.db.updateTable('persons').set({ locale: 'en' }).where('id', '=', pv2).execute();
    await say(zalo, 'z2', `/unfollow ${first}`);
    await askUpTo(zalo, 'z2', VACCINE_PLAIN, 'Y tế');
    expect((await say(zalo, 'z2', `/follow ${first}`)).at(-1)!.text).toContain(`You are following inquiry ${first}; your question was not sent.`);
    expect((await say(zalo, 'z2', '1')).at(-1)!.text).not.toMatch(/Q-\d+ (was|has been) received/);
    expect(await inquiryCount()).toBe(before);
    // With nothing waiting, /follow is the plain follow.
    await say(zalo, 'z2', `/unfollow ${first}`);
    expect((await say(zalo, 'z2', `/follow ${first}`)).at(-1)!.text).not.toContain('not sent');
  });

  it('a follow refused because the similar question was withdrawn meanwhile says the question is not sent and offers Gửi again', async () => {
    const first = await ask(tg, 't1', VACCINE, 'Y tế');
    expect((await askUpTo(zalo, 'z2', VACCINE_PLAIN, 'Y tế')).text).toContain(first);
    // Its reporter withdraws it between the offer and the press.
    await t.db.updateTable('inquiries').set({ status: 'withdrawn' }).where('code', '=', first).execute();
    const refused = await press(zalo, 'z2', `Theo dõi ${first}`);
    expect(refused.at(-1)!.text).toContain(`Không thể theo dõi ${first}`);
    expect(refused.at(-1)!.text).toContain('Câu hỏi của bạn chưa được gửi');
    expect(buttonsOf(zalo, 'z2').map((b) => b.action)).toEqual(['aok', 'aok', 'aok', 'acx']);
    const before = await inquiryCount();
    const sent = await press(zalo, 'z2', 'Gửi');
    expect(sent.at(-1)!.text).toMatch(/Đã tiếp nhận câu hỏi Q-\d+/);
    expect(await inquiryCount()).toBe(before + 1);
    expect(await followerRows()).toEqual([]);
  });

  it('the coordinator\'s screening notice names likely duplicates of the same topic, each one press from a merge', async () => {
    const theft = await ask(tg, 't1', THEFT, 'An ninh trật tự');
    await ask(tg, 't1', VACCINE, 'Y tế');
    // The second reporter sends a similar one anyway (and one in the screened topic unlike any).
    const confirm = await askUpTo(zalo, 'z2', 'Trộm cắp xe máy ở phường Phú Hội tháng này thế nào?', 'An ninh trật tự');
    expect(confirm.text).toContain(`Đã có câu hỏi tương tự ${theft}`);
    const dup = /Q-\d+/.exec((await press(zalo, 'z2', 'Gửi')).at(-1)!.text)![0];
    const notice = tg.deliveredTo('t-dm').at(-1)!;
    expect(notice.text).toContain(dup);
    expect(notice.text).toContain(`Có thể trùng: ${theft} (“Tình hình trộm cắp xe máy`);
    expect(notice.text).not.toContain('Lịch tiêm');
    expect(notice.text).not.toMatch(/Có thể trùng: Q-\d+ \(“Trộm cắp/);
    const merged = await press(tg, 't-dm', `Gộp vào ${theft}`);
    expect(merged.at(-1)!.text).toContain(`đã gộp vào ${theft}`);
    expect((await t.db.selectFrom('inquiries').select('status').where('code', '=', dup).executeTakeFirstOrThrow()).status).toBe('merged');
    // An unlike question in the screened topic: a notice with no such line.
    await ask(zalo, 'z2', 'Khi nào công an cấp căn cước cho trẻ em tại phường?', 'An ninh trật tự');
    expect(tg.deliveredTo('t-dm').at(-1)!.text).not.toContain('Có thể trùng');
  });

  it('names a likely duplicate on each coordinator\'s notice only within their scope: one routed to another agency is not shown to the police\'s own coordinator', async () => {
    // A coordinator of the police only (the city's coordinator, dm1, covers every agency).
    const dmca = await addReporter(t.db, 'dm-ca', 'Điều Phối Công An');
    await t.db.updateTable('role_assignments').set({ role: 'coordinator', org_id: (await t.db.selectFrom('orgs').select('id').where('code', '=', 'CA').executeTakeFirstOrThrow()).id }).where('person_id', '=', dmca).execute();
    await linkChat(t.db, dmca, 'telegram', 't-dmca');
    const theft = await ask(tg, 't1', THEFT, 'An ninh trật tự');
    expect(tg.deliveredTo('t-dmca').at(-1)!.text).toContain(theft);
    // Screened and sent on to another agency (the health department), outside the police's scope.
    const health = (await t.db.selectFrom('orgs').select('id').where('code', '=', 'SYT').executeTakeFirstOrThrow()).id;
    await t.db.updateTable('inquiries').set({ org_id: health, suggested_org_id: health, status: 'assigned' }).where('code', '=', theft).execute();
    await askUpTo(zalo, 'z2', 'Trộm cắp xe máy ở phường Phú Hội tháng này thế nào?', 'An ninh trật tự');
    const dup = /Q-\d+/.exec((await press(zalo, 'z2', 'Gửi')).at(-1)!.text)![0];
    const city = tg.deliveredTo('t-dm').at(-1)!;
    const police = tg.deliveredTo('t-dmca').at(-1)!;
    expect(city.text).toContain(dup);
    expect(city.text).toContain(`Có thể trùng: ${theft}`);
    expect(police.text).toContain(dup);
    expect(police.text).not.toContain(theft);
    expect(police.text).not.toContain('Tình hình trộm cắp');
    expect(buttonsOf(tg, 't-dmca').map((b) => b.label)).not.toContain(`Gộp vào ${theft}`);
    expect(buttonsOf(tg, 't-dm').map((b) => b.label)).toContain(`Gộp vào ${theft}`);
  });
});
