import { isBlankText } from '../../adapters/types.js';
import { findOrg } from '../../db/repositories/directory.js';
import { findFollowupSince, latestEntryAt } from '../../db/repositories/answers.js';
import { findIdentity } from '../../db/repositories/identities.js';
import { addMessageRef, listMergedInto } from '../../db/repositories/inquiries.js';
import type { Inquiry, Rating } from '../../db/schema.js';
import { RATINGS } from '../../db/schema.js';
import { A, btn, parsePair } from '../buttons.js';
import type { Copy } from '../copy/index.js';
import type { FlowContext } from '../context.js';
import { clearDialog } from '../dialog.js';
import { check, loadFor, tellRefusal } from '../guards.js';
import { viewBuilder } from '../inquiry/route.js';
import { codeOf, orgName } from '../inquiry/view.js';
import { transition } from '../lifecycle/transition.js';
import { spokespersonsFor } from '../roles.js';
import { signatureOf } from './signature.js';
import { tellFollowers } from './followers.js';
import { maybeDueInfo } from '../due.js';

const RATING_CODES: Record<string, Rating> = { s: 'satisfied', a: 'acceptable', u: 'unsatisfied' };

/** The reporter's rating buttons under an answer. */
export function rateButtons(t: Copy, inquiryId: number) {
  return [[
    btn(t.rateButtons.satisfied, A.rate, `${inquiryId}.s`),
    btn(t.rateButtons.acceptable, A.rate, `${inquiryId}.a`),
    btn(t.rateButtons.unsatisfied, A.rate, `${inquiryId}.u`),
  ]];
}

/**
 * The spokesperson's confirmed answer (flows/answer/confirm.ts): recorded, then delivered into
 * each reporter's thread (this inquiry's and those merged into it), signed with the
 * spokesperson's name and title: as a reply to the original question, or to the reporter's
 * follow-up when it answers one.
 */
export async function sendAnswer(ctx: FlowContext, inquiryId: number, answer: string, files: readonly number[] = []): Promise<void> {
  await clearDialog(ctx);
  const admitted = await loadFor(ctx, inquiryId, 'answer');
  if (!admitted) return;
  // Read before the answer is recorded: a follow-up newer than the previous answer is what this answers.
  const previous = await latestEntryAt(ctx.db, inquiryId, 'answer');
  const r = await transition(ctx, admitted, { set: { answered_at: ctx.nowIso, handler_person_id: ctx.actor.person?.id ?? null }, entryText: answer, files });
  if (!r.ok) return tellRefusal(ctx, r, String(inquiryId));
  const updated = r.inquiry;
  const org = updated.org_id ? await findOrg(ctx.db, updated.org_id) : undefined;
  const sign = await signatureOf(ctx.db, ctx.actor.person?.id, org);
  const targets: Inquiry[] = [updated, ...(await listMergedInto(ctx.db, updated.id))];
  const shown = (t: Copy) => (isBlankText(answer) ? t.files.seeAttached(files.length) : answer);
  // The answer's letter goes with it, under the question, in every reporter's thread.
  for (const target of targets) {
    const identity = await findIdentity(ctx.db, target.reporter_identity_id);
    if (!identity) continue;
    const followup = previous ? await findFollowupSince(ctx.db, target.id, { platform: identity.platform, chatId: identity.chat_id }, previous) : undefined;
    await ctx.effects.sendTo(identity, (t) => ({
      text: t.answer.toReporter(codeOf(target), orgName(org, t), shown(t), sign(t), false), buttons: rateButtons(t, target.id),
    }), { replyToMessageId: followup?.message_id ?? target.origin_message_id, ref: { inquiryId: target.id, kind: 'answer' }, ...(files.length > 0 ? { files } : {}) });
  }
  // Reporters who chose to follow this question (web page: "Theo dõi câu hỏi này") get the answer too.
  await tellFollowers(ctx, updated, targets, (t) => ({ text: t.answer.toFollower(codeOf(updated), orgName(org, t), shown(t), sign(t)) }), files);
  const minutes = correctionWindowMinutes(ctx);
  await ctx.reply((t) => ({
    text: t.answer.sent(codeOf(updated), targets.length, minutes),
    ...(minutes > 0 ? { buttons: [[btn(t.answer.btnCorrect, A.answerCorrect, updated.id)]] } : {}),
  }));
}

/** `ANSWER_CORRECTION_MINUTES`: how long after sending its spokesperson may correct an answer (default 10). */
export function correctionWindowMinutes(ctx: FlowContext): number {
  return ctx.settings.answerCorrectionMinutes ?? 10;
}

/** The reporter replied to an answer: a follow-up on the same inquiry, back to the same spokesperson. */
export async function onFollowup(ctx: FlowContext, inquiry: Inquiry, text: string, files: readonly number[] = []): Promise<void> {
  await reporterReply(ctx, inquiry, text, ['reopen', 'follow_up'], files);
}

/** The reporter replied to a clarification request: the clock resumes, the spokesperson gets it. */
export async function onClarificationReply(ctx: FlowContext, inquiry: Inquiry, text: string, files: readonly number[] = []): Promise<void> {
  await reporterReply(ctx, inquiry, text, ['resume', 'reopen', 'follow_up'], files);
}

/**
 * What the reporter's reply is depends on where the inquiry stands: a clarification (the clock
 * resumes), a follow-up that reopens an answered inquiry (a new deadline of its own), or a
 * follow-up on an open one. Nothing is recorded or forwarded if someone else changed it first.
 */
async function reporterReply(ctx: FlowContext, inquiry: Inquiry, said: string, actions: Array<'resume' | 'reopen' | 'follow_up'>, files: readonly number[] = []): Promise<void> {
  const verdict = await check(ctx, inquiry, actions);
  if (!('action' in verdict)) {
    if (verdict.reason !== 'stale') return tellRefusal(ctx, verdict, String(inquiry.id));
    return void await ctx.reply((t) => ({ text: t.followupClosed(codeOf(inquiry), inquiry.status) }));
  }
  const r = await transition(ctx, verdict, { entryText: said, files });
  if (!r.ok) return tellRefusal(ctx, r, String(inquiry.id));
  // The answer to a follow-up is threaded under it (sendAnswer).
  if (ctx.event.kind === 'message') {
    await addMessageRef(ctx.db, { platform: ctx.event.platform, chatId: ctx.event.chatId, messageId: ctx.event.messageId, inquiryId: inquiry.id, kind: 'followup', personId: ctx.actor.person?.id ?? null, nowIso: ctx.nowIso });
  }
  const text = isBlankText(said) ? ctx.actor.t.files.seeAttached(files.length) : said;
  const { action } = verdict;
  const code = codeOf(inquiry);
  const due = await maybeDueInfo(ctx, r.inquiry.due_at);
  // Staff learn the moved due time of a resumed clock or of a reopened inquiry; the reporter, the latter.
  const dueLine = (t: Copy) => (!due || action === 'follow_up' ? '' : `\n${action === 'resume' ? t.clockResumed(due) : t.lifecycle.newPeriod(due)}`);
  const toStaff = (t: Copy, reporter: string) => `${(action === 'resume' ? t.clarifyReplyToStaff : t.followupToStaff)(code, reporter, text)}${dueLine(t)}`;
  await forwardToStaff(ctx, r.inquiry, toStaff, (t) => (action === 'reopen' ? dueLine(t) : ''), files);
}

async function forwardToStaff(ctx: FlowContext, inquiry: Inquiry, make: (t: Copy, reporter: string) => string, toReporter: (t: Copy) => string, files: readonly number[]): Promise<void> {
  const people = inquiry.handler_person_id ? [inquiry.handler_person_id] : await spokespersonsFor(ctx.db, inquiry, ctx.today);
  const build = await viewBuilder(ctx.db, inquiry, (t, v) => ({
    text: make(t, `${v.reporterName} (${v.outletName})`), buttons: [[btn(t.btnAnswer, A.answer, inquiry.id)]],
  }));
  for (const personId of people) {
    await ctx.effects.notifyPerson(personId, build, { ref: { inquiryId: inquiry.id, kind: 'followup_notice' }, push: { kind: 'reply' }, ...(files.length > 0 ? { files } : {}) });
  }
  await ctx.reply((t) => ({ text: `${t.forwardedToStaff(codeOf(inquiry))}${toReporter(t)}` }));
}

/** Hài lòng / Chấp nhận được / Không hài lòng. One rating per inquiry. */
export async function onRate(ctx: FlowContext, payload: string): Promise<void> {
  const pair = parsePair(payload);
  const rating = pair ? RATING_CODES[pair[1]] : undefined;
  if (!pair || !rating || !RATINGS.includes(rating)) return;
  const admitted = await loadFor(ctx, pair[0], 'rate');
  if (!admitted) return;
  const earlier = admitted.inquiry.rating;
  if (earlier) return void await ctx.reply((t) => ({ text: t.alreadyRated(t.ratingLabel(earlier)) }));
  const r = await transition(ctx, admitted, { set: { rating, rated_at: ctx.nowIso }, audit: { before: { rating: null }, after: { rating } } });
  if (!r.ok) {
    const now = r.inquiry.rating;
    return now ? void await ctx.reply((t) => ({ text: t.alreadyRated(t.ratingLabel(now)) })) : tellRefusal(ctx, r, String(pair[0]));
  }
  await ctx.reply((t) => ({ text: t.ratingThanks(t.ratingLabel(rating)) }));
}
