import { truncateText, type CommandEvent } from '../../adapters/types.js';
import { follow, unfollow } from '../../db/repositories/followers.js';
import { findInquiryByCode } from '../../db/repositories/inquiries.js';
import type { InquiryStatus } from '../../db/schema.js';
import type { FlowContext } from '../context.js';
import { codeOf } from '../inquiry/view.js';
import { isOpen } from '../lifecycle/table.js';
import { reporterStanding } from '../roles.js';

/** May a reporter follow an inquiry in this state? Open (still to be answered) or answered; never closed otherwise. */
export function followable(status: InquiryStatus): boolean {
  return isOpen(status) || status === 'answered';
}

/**
 * `/follow Q-12` and `/unfollow Q-12` (the web page's "Theo dõi câu hỏi này" posts the same as typed fields: `POST …/inquiry-action`): a
 * verified reporter follows another reporter's open or answered inquiry and receives its answer in
 * their own chat (flows/answer/followers.ts). The reply names the code only, never the other
 * reporter. Unfollowing needs no check beyond being the person who follows.
 */
export async function onFollowCommand(ctx: FlowContext, e: CommandEvent, on: boolean): Promise<void> {
  const code = e.args.trim().split(/\s+/)[0] ?? '';
  if (!code) return void await ctx.reply((t) => ({ text: t.channel.commandNeedsCode(e.command) }));
  const person = ctx.actor.person;
  if (!person || reporterStanding(ctx.actor) !== 'active') {
    return void await ctx.reply((t) => ({ text: t.answer.followNotReporter }));
  }
  const inquiry = await findInquiryByCode(ctx.db, code);
  if (!inquiry) return void await ctx.reply((t) => ({ text: t.channel.inquiryCodeUnknown(truncateText(code, 20)) }));
  const shown = codeOf(inquiry);
  if (!on) {
    const was = await unfollow(ctx.db, person.id, inquiry.id);
    return void await ctx.reply((t) => ({ text: t.answer.unfollowed(shown, was) }));
  }
  if (inquiry.reporter_person_id === person.id || !followable(inquiry.status)) {
    return void await ctx.reply((t) => ({ text: t.answer.followRefused(shown) }));
  }
  await follow(ctx.db, person.id, inquiry.id, ctx.nowIso);
  await ctx.effects.audit('inquiry.follow', 'inquiry', inquiry.id, undefined, { person: person.id });
  await ctx.reply((t) => ({ text: t.answer.followed(shown) }));
}
