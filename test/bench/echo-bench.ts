/**
 * The ceiling any bot reaches on this machine: a bare telegraf echo bot (echo-bot.ts, a child
 * process like ours) on the same fake Bot API, with the inquiry bench's sustained shape — N users
 * each press a button at once, and the rate is N over the time from the first press to the last
 * reply. Our sustained rate divided by this one is the figure to compare across machines.
 */
import { performance } from 'node:perf_hooks';
import { createFakeTelegram, type FakeUser } from '../fakes/telegram-bot-api.js';
import { mapLimit } from './bench-helpers.js';
import { startChild } from './bot-process.js';
import { SentWatch } from './sent-watch.js';

const TOKEN = '987654322:EchoTokenForTheFakeBotApi_abcdef';
const STEP_TIMEOUT_MS = 60_000;
const SETUP_CONCURRENCY = 100;

/** What {@link benchEchoBot} measured. */
export interface EchoResult {
  /** Presses answered per second, first press → last reply accepted by the fake. */
  perSecond: number;
  /** Replies received (all of them, unless the echo bot fell behind the timeout). */
  answered: number;
}

/**
 * Starts the echo bot on a fresh fake, gives each of `count` users a message with a button (one
 * message and one reply each, untimed), then presses every button at once and times the replies.
 */
export async function benchEchoBot(count: number, settleTimeoutMs: number, log: (m: string) => void): Promise<EchoResult> {
  const fake = createFakeTelegram({ token: TOKEN, bot: { username: 'echo_bench_bot' } });
  await fake.start();
  const watch = new SentWatch(fake);
  const env = { ...process.env, ECHO_BOT_TOKEN: TOKEN, ECHO_API_ROOT: fake.apiRoot };
  const bot = await startChild(['--import', 'tsx', 'test/bench/echo-bot.ts'], env, () => fake.longPollWaiting);
  try {
    const users: FakeUser[] = Array.from({ length: count }, (_, i) => ({ id: 8_500_001 + i, first_name: `E${i + 1}`, language_code: 'vi' }));
    log(`echo bot: ${count} users get a button`);
    const buttons = await Promise.race([mapLimit(users, SETUP_CONCURRENCY, async (user) => {
      const reply = watch.next(user.id, (m) => m.replyMarkup !== undefined, STEP_TIMEOUT_MS, 'echo button');
      fake.userSends(user, 'hello');
      const sent = await reply;
      return { user, messageId: sent.messageId, data: sent.replyMarkup!.inline_keyboard[0]![0]!.callback_data! };
    }), bot.died]);
    const pending = new Set(users.map((u) => u.id));
    let lastAt = Number.NaN;
    watch.onSendCall((chatId, text, at) => {
      if (text === 'echo' && pending.delete(chatId)) lastAt = at;
    });
    log(`echo bot: pressing ${count} at once`);
    const firstAt = performance.now();
    for (const b of buttons) fake.userPresses(b.user, b.messageId, b.data);
    await Promise.race([watch.until(() => pending.size === 0, settleTimeoutMs), bot.died]);
    const answered = count - pending.size;
    return { perSecond: answered / ((lastAt - firstAt) / 1000), answered };
  } finally {
    await bot.stop(5000);
    watch.close();
    await fake.stop();
  }
}
