import type { DeclineGround } from '../../db/schema.js';
import { DECLINE_GROUNDS } from '../../db/schema.js';
import { findOrg } from '../../db/repositories/directory.js';
import { setDialog } from '../../db/repositories/identities.js';
import { addEntry, updateInquiryIf } from '../../db/repositories/inquiries.js';
import { A, btn, parsePair } from '../buttons.js';
import type { FlowContext } from '../context.js';
import { AGENCY_OPEN, loadForAction } from '../guards.js';
import { notifyAgency, toReporterThread } from '../inquiry/route.js';
import { assignDeadline, pauseFields } from '../inquiry/deadline.js';
import { codeOf, orgName } from '../inquiry/view.js';
import { isValidTarget, showOrgChoice } from '../screening/index.js';

/** [Nhận xử lý]: the spokesperson takes the inquiry; the reporter is told. */
export async function onAck(ctx: FlowContext, payload: string): Promise<void> {
  const inquiry = await loadForAction(ctx, payload, 'spokesperson', ['assigned']);
  if (!inquiry) return;
  const updated = await updateInquiryIf(ctx.db, inquiry.id, ['assigned'], {
    status: 'acknowledged', handler_person_id: ctx.actor.person?.id ?? null, acknowledged_at: ctx.nowIso,
    first_response_at: inquiry.first_response_at ?? ctx.nowIso, updated_at: ctx.nowIso,
  });
  if (!updated) return;
  await ctx.effects.audit('inquiry.acknowledge', 'inquiry', inquiry.id, { status: 'assigned' }, { status: 'acknowledged' });
  const org = updated.org_id ? await findOrg(ctx.db, updated.org_id) : undefined;
  await ctx.reply((t) => ({ text: t.ackDone(codeOf(updated)) }));
  await toReporterThread(ctx.db, ctx.effects, updated, (t) => ({ text: t.ackToReporter(codeOf(updated), orgName(org, t)) }), 'info');
}

/** [Trả lời]: wait for the answer text. */
export async function onAnswerButton(ctx: FlowContext, payload: string): Promise<void> {
  const inquiry = await loadForAction(ctx, payload, 'spokesperson', AGENCY_OPEN);
  if (!inquiry) return;
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'answer', inquiryId: inquiry.id }, ctx.nowIso);
  await ctx.reply((t) => ({ text: t.askAnswerText(codeOf(inquiry)) }));
}

/** [Hỏi lại phóng viên]: wait for the clarification question. */
export async function onClarifyButton(ctx: FlowContext, payload: string): Promise<void> {
  const inquiry = await loadForAction(ctx, payload, 'spokesperson', ['assigned', 'acknowledged']);
  if (!inquiry) return;
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'clarify', inquiryId: inquiry.id }, ctx.nowIso);
  await ctx.reply((t) => ({ text: t.askClarifyText(codeOf(inquiry)) }));
}

/** The clarification question: it reaches the reporter as a reply in their thread. */
export async function submitClarification(ctx: FlowContext, inquiryId: number, question: string): Promise<void> {
  await setDialog(ctx.db, ctx.actor.identity.id, null, ctx.nowIso);
  const inquiry = await loadForAction(ctx, inquiryId, 'spokesperson', ['assigned', 'acknowledged']);
  if (!inquiry) return;
  const updated = await updateInquiryIf(ctx.db, inquiry.id, ['assigned', 'acknowledged'], {
    status: 'clarifying', resume_status: inquiry.status, handler_person_id: ctx.actor.person?.id ?? inquiry.handler_person_id,
    first_response_at: inquiry.first_response_at ?? ctx.nowIso, updated_at: ctx.nowIso, ...pauseFields(ctx, inquiry),
  });
  if (!updated) return;
  ctx.effects.syncDeadline(inquiry.id);
  await addEntry(ctx.db, inquiry.id, 'clarification_request', ctx.actor.person?.id ?? null, question, ctx.nowIso);
  await ctx.effects.audit('inquiry.clarify', 'inquiry', inquiry.id, { status: inquiry.status }, { status: 'clarifying' });
  const org = updated.org_id ? await findOrg(ctx.db, updated.org_id) : undefined;
  await toReporterThread(ctx.db, ctx.effects, updated, (t) => ({ text: `${t.clarifyToReporter(codeOf(updated), orgName(org, t), question)}\n${t.clockPaused}` }), 'clarification');
  await ctx.reply((t) => ({ text: `${t.clarifyDone(codeOf(updated))}\n${t.clockPaused}` }));
}

/** [Chuyển đơn vị]: choose the agency. */
export async function onTransferButton(ctx: FlowContext, payload: string): Promise<void> {
  const inquiry = await loadForAction(ctx, payload, 'spokesperson', ['assigned', 'acknowledged']);
  if (inquiry) await showOrgChoice(ctx, inquiry, A.transferTo, 'chooseTransferOrg');
}

/** Transfer to the chosen agency. The received time is kept: the clock does not restart. */
export async function onTransferTo(ctx: FlowContext, payload: string): Promise<void> {
  const pair = parsePair(payload);
  const inquiry = pair ? await loadForAction(ctx, pair[0], 'spokesperson', ['assigned', 'acknowledged']) : undefined;
  const org = pair && inquiry ? await findOrg(ctx.db, Number(pair[1])) : undefined;
  if (!inquiry || !org || org.id === inquiry.org_id || !(await isValidTarget(ctx, inquiry, org.id))) return;
  const moved = await updateInquiryIf(ctx.db, inquiry.id, ['assigned', 'acknowledged'], { status: 'assigned', org_id: org.id, handler_person_id: null, updated_at: ctx.nowIso });
  if (!moved) return;
  // The new agency's own period may differ; the received time is kept, so the clock does not restart.
  const updated = await assignDeadline(ctx, moved, moved.deadline_class ?? 'routine', org.id);
  const from = inquiry.org_id ? await findOrg(ctx.db, inquiry.org_id) : undefined;
  await addEntry(ctx.db, inquiry.id, 'transfer', ctx.actor.person?.id ?? null, `${from?.code ?? ''} → ${org.code}`, ctx.nowIso);
  await ctx.effects.audit('inquiry.transfer', 'inquiry', inquiry.id, { org: from?.code, status: inquiry.status }, { org: org.code, status: 'assigned' });
  await ctx.reply((t) => ({ text: t.transferDone(codeOf(updated), orgName(org, t)) }));
  await toReporterThread(ctx.db, ctx.effects, updated, (t) => ({ text: t.transferToReporter(codeOf(updated), orgName(org, t)) }), 'info');
  await notifyAgency(ctx.db, ctx.effects, updated, ctx.today, (t) => `↪ ${orgName(from, t)}`);
}

/** [Từ chối]: choose the statutory ground. */
export async function onDeclineButton(ctx: FlowContext, payload: string): Promise<void> {
  const inquiry = await loadForAction(ctx, payload, 'spokesperson', AGENCY_OPEN);
  if (!inquiry) return;
  await ctx.reply((t) => ({
    text: t.chooseGround(codeOf(inquiry)),
    buttons: DECLINE_GROUNDS.map((g) => [btn(t.groundLabel(g), A.declineGround, `${inquiry.id}.${g}`)]),
  }));
}

/** Ground chosen: wait for the written reason. */
export async function onDeclineGround(ctx: FlowContext, payload: string): Promise<void> {
  const pair = parsePair(payload);
  const ground = pair?.[1] as DeclineGround | undefined;
  if (!pair || !ground || !DECLINE_GROUNDS.includes(ground)) return;
  const inquiry = await loadForAction(ctx, pair[0], 'spokesperson', AGENCY_OPEN);
  if (!inquiry) return;
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'decline_reason', inquiryId: inquiry.id, ground }, ctx.nowIso);
  await ctx.reply((t) => ({ text: t.askDeclineReason(codeOf(inquiry), t.groundLabel(ground)) }));
}

/** The written reason: the reporter receives the ground and the reason (Decree 244 Art. 4(3)). */
export async function submitDecline(ctx: FlowContext, inquiryId: number, ground: DeclineGround, reason: string): Promise<void> {
  await setDialog(ctx.db, ctx.actor.identity.id, null, ctx.nowIso);
  const inquiry = await loadForAction(ctx, inquiryId, 'spokesperson', AGENCY_OPEN);
  if (!inquiry) return;
  const updated = await updateInquiryIf(ctx.db, inquiry.id, AGENCY_OPEN, {
    status: 'declined', decline_ground: ground, decline_reason: reason, closed_at: ctx.nowIso,
    handler_person_id: ctx.actor.person?.id ?? null, first_response_at: inquiry.first_response_at ?? ctx.nowIso, updated_at: ctx.nowIso,
  });
  if (!updated) return;
  ctx.effects.syncDeadline(inquiry.id);
  await addEntry(ctx.db, inquiry.id, 'decline', ctx.actor.person?.id ?? null, `${ground}: ${reason}`, ctx.nowIso);
  await ctx.effects.audit('inquiry.decline', 'inquiry', inquiry.id, { status: inquiry.status }, { status: 'declined', ground });
  const org = updated.org_id ? await findOrg(ctx.db, updated.org_id) : undefined;
  await toReporterThread(ctx.db, ctx.effects, updated, (t) => ({ text: t.declineToReporter(codeOf(updated), orgName(org, t), t.groundLabel(ground), reason) }), 'info');
  await ctx.reply((t) => ({ text: t.declineDone(codeOf(updated)) }));
}
