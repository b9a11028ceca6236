/**
 * The bench's baseline: a bare telegraf bot (no database, no queue, telegraf's own polling) that
 * answers each update with exactly one sendMessage. A message gets a reply carrying one inline
 * button (the bench's set-up); a press of that button gets a plain reply (the measured step).
 * Run as a child process by echo-bench.ts: `node --import tsx test/bench/echo-bot.ts`, with
 * ECHO_BOT_TOKEN and ECHO_API_ROOT (the fake Bot API) in its environment.
 */
import { Markup, Telegraf } from 'telegraf';

const token = process.env.ECHO_BOT_TOKEN;
const apiRoot = process.env.ECHO_API_ROOT;
if (!token || !apiRoot) throw new Error('echo bot: set ECHO_BOT_TOKEN and ECHO_API_ROOT');

const bot = new Telegraf(token, { telegram: { apiRoot } });
bot.on('message', (ctx) => ctx.reply('echo', Markup.inlineKeyboard([Markup.button.callback('Echo', 'echo')])));
bot.on('callback_query', (ctx) => ctx.telegram.sendMessage(ctx.from.id, 'echo'));

bot.launch().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
process.once('SIGTERM', () => bot.stop('SIGTERM'));
