import { findOrg } from '../../db/repositories/directory.js';
import { setDialog } from '../../db/repositories/identities.js';
import { addEntry, listMergedInto, updateInquiryIf } from '../../db/repositories/inquiries.js';
import type { Inquiry, Rating } from '../../db/schema.js';
import { RATINGS } from '../../db/schema.js';
import { A, btn, parsePair } from '../buttons.js';
import type { Copy } from '../copy/index.js';
import type { FlowContext } from '../context.js';
import { AGENCY_OPEN, loadForAction } from '../guards.js';
import { toReporterThread, viewBuilder } from '../inquiry/route.js';
import { resumeFields } from '../inquiry/deadline.js';
import { codeOf, orgName } from '../inquiry/view.js';
import { spokespersonsFor } from '../roles.js';

const RATING_CODES: Record<string, Rating> = { s: 'satisfied', a: 'acceptable', u: 'unsatisfied' };

function rateButtons(t: Copy, inquiryId: number) {
  return [[
    btn(t.rateButtons.satisfied, A.rate, `${inquiryId}.s`),
    btn(t.rateButtons.acceptable, A.rate, `${inquiryId}.a`),
    btn(t.rateButtons.unsatisfied, A.rate, `${inquiryId}.u`),
  ]];
}

/**
 * The spokesperson's answer: recorded, then delivered into the reporter's thread as a reply to
 * the original question (and to the reporters of inquiries merged into this one).
 */
export async function submitAnswer(ctx: FlowContext, inquiryId: number, text: string): Promise<void> {
  await setDialog(ctx.db, ctx.actor.identity.id, null, ctx.nowIso);
  const inquiry = await loadForAction(ctx, inquiryId, 'spokesperson', AGENCY_OPEN);
  if (!inquiry) return;
  const updated = await updateInquiryIf(ctx.db, inquiry.id, AGENCY_OPEN, {
    status: 'answered', answered_at: ctx.nowIso, first_response_at: inquiry.first_response_at ?? ctx.nowIso,
    handler_person_id: ctx.actor.person?.id ?? null, closed_at: ctx.nowIso, resume_status: null, updated_at: ctx.nowIso,
  });
  if (!updated) return;
  ctx.effects.syncDeadline(inquiry.id);
  await addEntry(ctx.db, inquiry.id, 'answer', ctx.actor.person?.id ?? null, text, ctx.nowIso);
  await ctx.effects.audit('inquiry.answer', 'inquiry', inquiry.id, { status: inquiry.status }, { status: 'answered' });
  const org = updated.org_id ? await findOrg(ctx.db, updated.org_id) : undefined;
  const targets: Inquiry[] = [updated, ...(await listMergedInto(ctx.db, updated.id))];
  for (const target of targets) {
    await toReporterThread(ctx.db, ctx.effects, target, (t) => ({
      text: t.answerToReporter(codeOf(target), orgName(org, t), text), buttons: rateButtons(t, target.id),
    }), 'answer');
  }
  await ctx.reply((t) => ({ text: t.answerDone(codeOf(updated), targets.length) }));
}

/** The reporter replied to an answer: a follow-up on the same inquiry, back to the same spokesperson. */
export async function onFollowup(ctx: FlowContext, inquiry: Inquiry, text: string): Promise<void> {
  if (ctx.actor.person?.id !== inquiry.reporter_person_id) return void await ctx.reply((t) => ({ text: t.notAllowed }));
  if (!['answered', 'assigned', 'acknowledged', 'clarifying'].includes(inquiry.status)) {
    return void await ctx.reply((t) => ({ text: t.followupClosed(codeOf(inquiry), inquiry.status) }));
  }
  const next = inquiry.status === 'answered' ? 'acknowledged' : inquiry.status;
  await updateInquiryIf(ctx.db, inquiry.id, [inquiry.status], { status: next, closed_at: null, updated_at: ctx.nowIso });
  await addEntry(ctx.db, inquiry.id, 'followup', ctx.actor.person.id, text, ctx.nowIso);
  await ctx.effects.audit('inquiry.followup', 'inquiry', inquiry.id, { status: inquiry.status }, { status: next });
  await forwardToStaff(ctx, inquiry, (t, reporter) => t.followupToStaff(codeOf(inquiry), reporter, text));
}

/** The reporter replied to a clarification request: the clock resumes, the spokesperson gets it. */
export async function onClarificationReply(ctx: FlowContext, inquiry: Inquiry, text: string): Promise<void> {
  if (ctx.actor.person?.id !== inquiry.reporter_person_id) return void await ctx.reply((t) => ({ text: t.notAllowed }));
  if (inquiry.status !== 'clarifying') return onFollowup(ctx, inquiry, text);
  const resume = inquiry.resume_status ?? 'acknowledged';
  const clock = await resumeFields(ctx, inquiry);
  await updateInquiryIf(ctx.db, inquiry.id, ['clarifying'], { status: resume, resume_status: null, updated_at: ctx.nowIso, ...clock });
  ctx.effects.syncDeadline(inquiry.id);
  await addEntry(ctx.db, inquiry.id, 'clarification_reply', ctx.actor.person.id, text, ctx.nowIso);
  await ctx.effects.audit('inquiry.clarification_reply', 'inquiry', inquiry.id, { status: 'clarifying', due_at: inquiry.due_at }, { status: resume, due_at: clock.due_at ?? inquiry.due_at });
  const due = clock.due_at ?? inquiry.due_at;
  const resumed = (t: Copy) => (due ? `\n${t.clockResumed(due)}` : '');
  await forwardToStaff(ctx, inquiry, (t, reporter) => `${t.clarifyReplyToStaff(codeOf(inquiry), reporter, text)}${resumed(t)}`);
}

async function forwardToStaff(ctx: FlowContext, inquiry: Inquiry, make: (t: Copy, reporter: string) => string): Promise<void> {
  const people = inquiry.handler_person_id ? [inquiry.handler_person_id] : await spokespersonsFor(ctx.db, inquiry, ctx.today);
  const build = await viewBuilder(ctx.db, inquiry, (t, v) => ({
    text: make(t, `${v.reporterName} (${v.outletName})`), buttons: [[btn(t.btnAnswer, A.answer, inquiry.id)]],
  }));
  for (const personId of people) {
    await ctx.effects.notifyPerson(personId, build, { ref: { inquiryId: inquiry.id, kind: 'followup_notice' } });
  }
  await ctx.reply((t) => ({ text: t.forwardedToStaff(codeOf(inquiry)) }));
}

/** Hài lòng / Chấp nhận được / Không hài lòng. One rating per inquiry. */
export async function onRate(ctx: FlowContext, payload: string): Promise<void> {
  const pair = parsePair(payload);
  const rating = pair ? RATING_CODES[pair[1]] : undefined;
  if (!pair || !rating || !RATINGS.includes(rating)) return;
  const inquiry = await loadForAction(ctx, pair[0], 'reporter', ['answered', 'acknowledged', 'assigned', 'clarifying']);
  if (!inquiry) return;
  if (inquiry.rating) {
    const label = inquiry.rating;
    return void await ctx.reply((t) => ({ text: t.alreadyRated(t.ratingLabel(label)) }));
  }
  await ctx.db.updateTable('inquiries').set({ rating, rated_at: ctx.nowIso, updated_at: ctx.nowIso }).where('id', '=', inquiry.id).where('rating', 'is', null).execute();
  await ctx.effects.audit('inquiry.rate', 'inquiry', inquiry.id, { rating: null }, { rating });
  await ctx.reply((t) => ({ text: t.ratingThanks(t.ratingLabel(rating)) }));
}
