import { truncateText, type ButtonEvent, type CommandEvent } from '../adapters/types.js';
import { findInquiryByCode } from '../db/repositories/inquiries.js';
import { A } from './buttons.js';
import type { FlowContext } from './context.js';

/**
 * Commands that do what an inquiry's buttons do (`/answer Q-42`), for channels without buttons and
 * for people who prefer typing. The button handlers check role and scope, as for a real press.
 */
export const TEXT_COMMANDS: Readonly<Record<string, string>> = {
  ack: A.ack, answer: A.answer, clarify: A.clarify, decline: A.decline, transfer: A.transfer,
  extend: A.extend, working: A.working, route: A.routeSuggested, reroute: A.chooseOther,
  reject: A.rejectScope, merge: A.merge, class: A.classMenu, conclusion: A.conclusion,
};

/** Turns `/answer Q-42` into a press of the "answer" button of inquiry 42. */
export async function onTextCommand(ctx: FlowContext, e: CommandEvent, press: (ctx: FlowContext, e: ButtonEvent) => Promise<void>): Promise<void> {
  const action = TEXT_COMMANDS[e.command];
  const [code = '', into] = e.args.trim().split(/\s+/);
  if (!action || !code) return void await ctx.reply((t) => ({ text: t.channel.commandNeedsCode(e.command) }));
  const inquiry = await findInquiryByCode(ctx.db, code);
  if (!inquiry) return void await ctx.reply((t) => ({ text: t.channel.inquiryCodeUnknown(truncateText(code, 20)) }));
  await press(ctx, {
    kind: 'button', platform: e.platform, eventId: e.eventId, from: e.from, chatId: e.chatId, at: e.at, raw: e.raw,
    // `/merge Q-13 Q-12`: the code to merge into comes with the command (no second prompt).
    messageId: e.messageId, action, payload: action === A.merge && into ? `${inquiry.id}.${truncateText(into, 20)}` : String(inquiry.id),
  });
}
