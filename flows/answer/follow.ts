import { truncateText, type CommandEvent } from '../../adapters/types.js';
import { follow, unfollow } from '../../db/repositories/followers.js';
import { findInquiryByCode } from '../../db/repositories/inquiries.js';
import type { Inquiry, InquiryStatus } from '../../db/schema.js';
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
  if (!(await followInquiry(ctx, person.id, inquiry))) return void await ctx.reply((t) => ({ text: t.answer.followRefused(shown) }));
  await ctx.reply((t) => ({ text: t.answer.followed(shown) }));
}

/**
 * The follow itself, for every way to ask for it (`/follow`, the web page's button, "Theo dõi Q-12"
 * offered before a question is sent): reporter `personId` follows another reporter's open or
 * answered inquiry, audited. False, with nothing recorded, when they may not follow it.
 */
export async function followInquiry(ctx: FlowContext, personId: number, inquiry: Inquiry): Promise<boolean> {
  if (inquiry.reporter_person_id === personId || !followable(inquiry.status)) return false;
  await follow(ctx.db, personId, inquiry.id, ctx.nowIso);
  await ctx.effects.audit('inquiry.follow', 'inquiry', inquiry.id, undefined, { person: personId });
  return true;
}
