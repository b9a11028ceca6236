import { describe, expect, it } from 'vitest';
import { saveDraft, takeDraft } from '../../db/repositories/answers.js';
import { createInquiry } from '../../db/repositories/inquiries.js';
import { createWebStore } from '../../db/repositories/web.js';
import { A } from '../../flows/buttons.js';
import { InboxError } from '../../src/inbox/api.js';
import { draftOfPreview } from '../../src/inbox/draft.js';
import type { InboxReader } from '../../src/inbox/scope.js';
import { testDialects, type TestDb } from '../helpers/db.js';
import { linkChat, type MiniNetwork } from '../helpers/directory-fixture.js';
import { useFlowDriver, type FlowDriverRun } from '../helpers/flow-driver.js';

const REPORTER = '101';
const HEALTH = '201';

/**
 * The web page's edit box on an answer preview (issue 14): [Sửa] pressed with the new text replaces
 * the draft as typing a new text would (files and correction mode kept) and previews it again;
 * nothing is sent until [Gửi câu trả lời]. Through the real inbound processor and flows.
 */
describe.each(testDialects())('an answer draft edited in the web page\'s edit box, on %s', (dialect) => {
  let t: TestDb;
  let net: MiniNetwork;
  let bot: FlowDriverRun['bot'];
  let clock: FlowDriverRun['clock'];
  useFlowDriver(dialect, [[REPORTER, 'inv-pv1'], [HEALTH, 'inv-pn-syt']], (run) => ({ t, net, bot, clock } = run));

  /** Asks a question and writes a first answer: the spokesperson's preview. */
  async function previewed(text: string) {
    await bot.say(REPORTER, 'Khi nào có kết quả xét nghiệm?');
    await bot.press(REPORTER, 'Y tế');
    await bot.press(REPORTER, 'Gửi');
    await bot.say(HEALTH, text, bot.last(HEALTH).messageId);
    return bot.last(HEALTH);
  }
  const drafts = () => t.db.selectFrom('answer_drafts').select(['text', 'correcting']).execute();
  const answers = () => t.db.selectFrom('inquiry_entries').select(['kind', 'text']).where('kind', 'in', ['answer', 'answer_correction']).orderBy('id').execute();

  it('replaces the draft and previews the new text, asking nothing again; only the send sends it, once', async () => {
    const first = await previewed('Có kết quả sau 2 ngày.');
    const reporterBefore = bot.inbox(REPORTER).length;
    await bot.press(HEALTH, 'Sửa', 'Có kết quả sau 3 ngày làm việc.\nKết quả gửi qua tin nhắn.');
    const again = bot.last(HEALTH);
    expect(again.text).toContain('CHƯA GỬI');
    expect(again.text).toContain('Có kết quả sau 3 ngày làm việc.\nKết quả gửi qua tin nhắn.');
    expect(again.buttons.flat().map((b) => b.label)).toEqual(['Gửi câu trả lời', 'Sửa', 'Hủy']);
    expect(bot.inbox(HEALTH).some((m) => m.text.includes('Gõ lại nội dung'))).toBe(false);
    expect(await drafts()).toEqual([{ text: 'Có kết quả sau 3 ngày làm việc.\nKết quả gửi qua tin nhắn.', correcting: 0 }]);
    expect(bot.inbox(REPORTER)).toHaveLength(reporterBefore);
    // The old preview's buttons name a draft that is gone: a late press sends nothing.
    await bot.press(HEALTH, 'Gửi câu trả lời', undefined, first);
    expect(bot.last(HEALTH).text).toContain('Không còn bản nháp');
    expect(bot.inbox(REPORTER)).toHaveLength(reporterBefore);
    await bot.press(HEALTH, 'Gửi câu trả lời');
    expect(bot.inbox(REPORTER)).toHaveLength(reporterBefore + 1);
    expect(bot.last(REPORTER).text).toContain('Có kết quả sau 3 ngày làm việc.');
    expect(await answers()).toEqual([{ kind: 'answer', text: 'Có kết quả sau 3 ngày làm việc.\nKết quả gửi qua tin nhắn.' }]);
    // Edited again from the sent preview: nothing to replace, nothing sent.
    await bot.press(HEALTH, 'Sửa', 'Bản khác.', again);
    expect(bot.last(HEALTH).text).toContain('Không còn bản nháp');
    expect(await drafts()).toEqual([]);
    expect(bot.inbox(REPORTER)).toHaveLength(reporterBefore + 1);
  });

  it('takes the new text past the draft\'s 30 minutes (a new preview with its own time); refuses text too long, keeping the draft', async () => {
    await previewed('Có kết quả sau 2 ngày.');
    const before = bot.inbox(HEALTH).length;
    await bot.press(HEALTH, 'Sửa', 'x'.repeat(4000 * 5 + 1));
    // Refused, and the kept draft previewed again with buttons that work (the press spent the old ones).
    const [refusal, offered] = bot.inbox(HEALTH).slice(before);
    expect(refusal!.text).toContain('20000');
    expect(offered!.text).toContain('CHƯA GỬI');
    expect(offered!.text).toContain('Có kết quả sau 2 ngày.');
    expect(offered!.buttons.flat().map((b) => b.label)).toEqual(['Gửi câu trả lời', 'Sửa', 'Hủy']);
    expect(await drafts()).toEqual([{ text: 'Có kết quả sau 2 ngày.', correcting: 0 }]);
    clock.advance(31 * 60_000);
    await bot.press(HEALTH, 'Sửa', 'Có kết quả sau 4 ngày.');
    expect(bot.last(HEALTH).text).toContain('Có kết quả sau 4 ngày.');
    await bot.press(HEALTH, 'Gửi câu trả lời');
    expect(bot.last(REPORTER).text).toContain('Có kết quả sau 4 ngày.');
  });

  it('a correction stays a correction when its preview is edited: both versions recorded', async () => {
    await previewed('Có kết quả sau 2 ngày.');
    await bot.press(HEALTH, 'Gửi câu trả lời');
    await bot.press(HEALTH, 'Sửa câu trả lời');
    await bot.say(HEALTH, 'Có kết quả sau 5 ngày.');
    expect(bot.last(HEALTH).text).toContain('Xem trước bản sửa');
    await bot.press(HEALTH, 'Sửa', 'Có kết quả sau 6 ngày.');
    expect(bot.last(HEALTH).text).toContain('Xem trước bản sửa');
    expect(await drafts()).toEqual([{ text: 'Có kết quả sau 6 ngày.', correcting: 1 }]);
    await bot.press(HEALTH, 'Gửi câu trả lời');
    expect(bot.last(HEALTH).text).toContain('Đã gửi bản sửa');
    expect(await answers()).toEqual([{ kind: 'answer', text: 'Có kết quả sau 2 ngày.' }, { kind: 'answer_correction', text: 'Có kết quả sau 6 ngày.' }]);
  });

  it('gives the page\'s edit box the draft\'s own text, only for the chat\'s own open preview', async () => {
    const identity = await linkChat(t.db, net.healthSpokesId, 'web', 'w-health');
    await linkChat(t.db, net.financeSpokesId, 'web', 'w-finance');
    const inquiry = await createInquiry(t.db, { reporterPersonId: net.reporterId, reporterIdentityId: identity, originChatId: 'x', originMessageId: '1', topicId: net.healthTopicId, orgId: net.healthId, suggestedOrgId: net.healthId, status: 'assigned', question: 'Q?', receivedAt: '2026-11-23T02:00:00.000Z' });
    const draftId = await saveDraft(t.db, { identityId: identity, inquiryId: inquiry.id, text: 'Dòng một.\nDòng hai.', files: [], correcting: false, nowIso: '2026-11-23T02:00:00.000Z' });
    const store = createWebStore(t.db);
    const buttons = [[{ label: 'Gửi câu trả lời', action: A.answerSend, payload: String(draftId) }], [{ label: 'Sửa', action: A.answerEdit, payload: String(draftId) }]];
    const { entry } = await store.appendMessage({ chatId: 'w-health', from: 'bot', text: 'Xem trước… (CHƯA GỬI)\n\nDòng một.\nDòng hai.\n\n— chữ ký', buttons, at: '2026-11-23T02:00:00.000Z' });
    const reader = (ownerId: string) => ({ session: { ownerId } }) as unknown as InboxReader;
    expect(await draftOfPreview(t.db, store, reader('w-health'), entry.id)).toEqual({ text: 'Dòng một.\nDòng hai.', correcting: false });
    // Another chat, another person: no such message there.
    await expect(draftOfPreview(t.db, store, reader('w-finance'), entry.id)).rejects.toBeInstanceOf(InboxError);
    await takeDraft(t.db, draftId, identity);
    await expect(draftOfPreview(t.db, store, reader('w-health'), entry.id)).rejects.toMatchObject({ status: 404, code: 'no_draft' });
  });
});
