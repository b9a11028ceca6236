import { describe, expect, it } from 'vitest';
import type { AdapterCapabilities } from '../../adapters/types.js';
import { testDialects, type TestDb } from '../helpers/db.js';
import { addReporter } from '../helpers/directory-fixture.js';
import { useFlowDriver, type ChatMessage, type FlowDriverRun } from '../helpers/flow-driver.js';

const REPORTER = '101';
const SECOND = '102';
/** A chat whose sent messages change in place (Telegram, the web page). */
const EDITS: AdapterCapabilities = { buttons: true, replies: true, maxTextLength: 4096, edits: true };

const VACCINE = 'Lịch tiêm vắc-xin sởi cho trẻ dưới 5 tuổi tại Huế thế nào?';
const VACCINE_PLAIN = 'Tiem vac xin soi cho tre duoi 5 tuoi tai Hue lich the nao?';

/**
 * Following another question (the web page's panel, or `/follow`) while one's own waits for its
 * topic or confirmation ends that dialog, and its prompt's buttons show spent — wherever the prompt
 * is in the chat. Before, only the chat's newest 10 messages were looked at, so a prompt followed by
 * more (here "please use the buttons" to each text the reporter wrote meanwhile) kept live buttons.
 */
describe.each(testDialects())('a follow instead settles its prompt on %s', (dialect) => {
  let t: TestDb;
  let bot: FlowDriverRun['bot'];
  useFlowDriver(dialect, [[REPORTER, 'inv-pv1']], (run) => ({ t, bot } = run), { capabilities: () => EDITS });

  /** The first reporter's question, sent: its code. */
  async function asked(question: string, topic: string): Promise<string> {
    await bot.say(REPORTER, question);
    await bot.press(REPORTER, topic);
    await bot.press(REPORTER, 'Gửi');
    return /Q-\d+/.exec(bot.last(REPORTER).text)![0];
  }
  async function secondReporter(): Promise<void> {
    await addReporter(t.db, 'pv2', 'Nguyễn Văn Hai');
    await bot.command(SECOND, 'start', 'inv-pv2');
  }
  /** Eleven texts while the prompt waits: eleven bot replies after it. */
  async function chatOn(): Promise<void> {
    const before = bot.inbox(SECOND).length;
    for (let i = 1; i <= 11; i += 1) await bot.say(SECOND, `Xin hỏi thêm lần ${i}`);
    expect(bot.inbox(SECOND).length).toBe(before + 11);
  }
  const states = (m: ChatMessage) => m.buttons.flat().map((b) => b.state);
  const shown = (m: ChatMessage) => bot.inbox(SECOND).find((x) => x.outboxId === m.outboxId)!;

  it.each([
    ['its topic', false],
    ['its confirmation', true],
  ])('waiting for %s, with more than 10 messages after the prompt', async (_step, confirming) => {
    const code = await asked(VACCINE, 'Y tế');
    await secondReporter();
    await bot.say(SECOND, VACCINE_PLAIN);
    if (confirming) await bot.press(SECOND, 'Y tế');
    const prompt = bot.last(SECOND);
    expect(states(prompt).every((s) => s === undefined)).toBe(true);
    await chatOn();
    await bot.command(SECOND, 'follow', code);
    expect(bot.last(SECOND).text).toContain(`Bạn đang theo dõi câu hỏi ${code}; câu hỏi của bạn không được gửi.`);
    expect(states(shown(prompt)).length).toBeGreaterThan(1);
    expect(states(shown(prompt)).every((s) => s === 'disabled')).toBe(true);
  });

  it('after a refused follow, the send buttons offered again are the prompt it settles', async () => {
    const first = await asked(VACCINE, 'Y tế');
    const other = await asked('Tình hình trộm cắp xe máy ở phường Phú Hội tháng này ra sao?', 'An ninh trật tự');
    await secondReporter();
    await bot.say(SECOND, VACCINE_PLAIN);
    await bot.press(SECOND, 'Y tế');
    const offered = bot.last(SECOND);
    // Its reporter withdraws it between the offer and the press: the send buttons come again.
    await t.db.updateTable('inquiries').set({ status: 'withdrawn' }).where('code', '=', first).execute();
    await bot.press(SECOND, `Theo dõi ${first}`);
    const again = bot.last(SECOND);
    expect(again.text).toContain(`Không thể theo dõi ${first}`);
    await chatOn();
    await bot.command(SECOND, 'follow', other);
    expect(bot.last(SECOND).text).toContain(`Bạn đang theo dõi câu hỏi ${other}; câu hỏi của bạn không được gửi.`);
    expect(states(shown(again)).every((s) => s === 'disabled')).toBe(true);
    // The first prompt was answered by its own press (the platform settles a press), not by this follow.
    expect(states(shown(offered)).every((s) => s === undefined)).toBe(true);
  });
});
