import { isBlankText, truncateText, type CommandEvent } from '../../adapters/types.js';
import { currentAnswer } from '../../db/repositories/answers.js';
import { findOrg } from '../../db/repositories/directory.js';
import { follow, unfollow } from '../../db/repositories/followers.js';
import { setDialog } from '../../db/repositories/identities.js';
import { findInquiryByCode } from '../../db/repositories/inquiries.js';
import type { Inquiry, InquiryStatus } from '../../db/schema.js';
import type { FlowContext } from '../context.js';
import { parseDialog } from '../dialog.js';
import { settlePrompt } from '../settle-sent.js';
import { entryFileIds } from '../files.js';
import { codeOf, orgName } from '../inquiry/view.js';
import { signatureOf } from './signature.js';
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
 * reporter. Unfollowing needs no check beyond being the person who follows. A follow while their own
 * question waits for its topic or confirmation (the web page's panel offers one then) is a follow
 * instead: that question is not sent, as with "Theo dõi Q-12" under the prompt.
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
  const done = await followInquiry(ctx, person.id, inquiry);
  if (done === 'refused') return void await ctx.reply((t) => ({ text: t.answer.followRefused(shown) }));
  // Their own question waits for its topic or its confirmation (the web page's similar questions
  // offer the follow then): it is followed instead, exactly as with "Theo dõi Q-12" under the prompt.
  const dialog = parseDialog(ctx.actor.identity.dialog);
  if (dialog?.step === 'ask_topic' || dialog?.step === 'ask_confirm') {
    // Its prompt (the topics, or send / cancel) was not pressed: its buttons are shown spent.
    await settlePrompt(ctx, dialog.promptOutboxId);
    return followedInstead(ctx, inquiry, done);
  }
  const answered = inquiry.status === 'answered';
  await ctx.reply((t) => ({ text: t.answer.followed(shown, answered) }));
  // Following a question already answered: its answer now, once (later corrections come as to every follower).
  if (answered && done === 'followed') await sendCurrentAnswer(ctx, inquiry);
}

/**
 * Followed `inquiry` instead of sending the question waiting in the dialog: the dialog ends with no
 * inquiry created, and the reporter is told so and what comes next (its answer, now when it has one).
 */
export async function followedInstead(ctx: FlowContext, inquiry: Inquiry, done: 'followed' | 'already'): Promise<void> {
  await setDialog(ctx.db, ctx.actor.identity.id, null, ctx.nowIso);
  const answered = inquiry.status === 'answered';
  await ctx.reply((t) => ({ text: t.similar.followedInstead(codeOf(inquiry), answered) }));
  if (answered && done === 'followed') await sendCurrentAnswer(ctx, inquiry);
}

/**
 * The follow itself, for every way to ask for it (`/follow`, the web page's button, "Theo dõi Q-12"
 * offered before a question is sent): reporter `personId` follows another reporter's open or
 * answered inquiry, audited. `refused`, with nothing recorded, when they may not follow it; `already`
 * when they followed it before.
 */
export async function followInquiry(ctx: FlowContext, personId: number, inquiry: Inquiry): Promise<'refused' | 'followed' | 'already'> {
  if (inquiry.reporter_person_id === personId || !followable(inquiry.status)) return 'refused';
  const fresh = await follow(ctx.db, personId, inquiry.id, ctx.nowIso);
  await ctx.effects.audit('inquiry.follow', 'inquiry', inquiry.id, undefined, { person: personId });
  return fresh ? 'followed' : 'already';
}

/** An answered inquiry's answer as it stands (corrected, signed, with its files), to the reporter who just followed it. */
export async function sendCurrentAnswer(ctx: FlowContext, inquiry: Inquiry): Promise<void> {
  const answer = await currentAnswer(ctx.db, inquiry.id);
  if (!answer) return;
  const org = inquiry.org_id ? await findOrg(ctx.db, inquiry.org_id) : undefined;
  const sign = await signatureOf(ctx.db, answer.authorPersonId, org);
  const files = await entryFileIds(ctx.db, inquiry.id, answer.kind);
  const shown = (t: Parameters<typeof sign>[0]) => (isBlankText(answer.text) ? t.files.seeAttached(files.length) : answer.text);
  await ctx.reply((t) => ({ text: t.answer.toFollower(codeOf(inquiry), orgName(org, t), shown(t), sign(t)) }), files.length > 0 ? { files } : undefined);
}
