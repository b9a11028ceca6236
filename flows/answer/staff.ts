import type { DeclineGround } from '../../db/schema.js';
import { DECLINE_GROUNDS } from '../../db/schema.js';
import { findOrg } from '../../db/repositories/directory.js';
import { setDialog } from '../../db/repositories/identities.js';
import { listMergedInto } from '../../db/repositories/inquiries.js';
import { A, btn, parsePair } from '../buttons.js';
import type { FlowContext } from '../context.js';
import { clearDialog } from '../dialog.js';
import { loadFor, tellRefusal } from '../guards.js';
import { notifyAgency, toReporterThread } from '../inquiry/route.js';
import { codeOf, orgName } from '../inquiry/view.js';
import { checkTarget } from '../lifecycle/target.js';
import { transition } from '../lifecycle/transition.js';
import type { Admitted } from '../lifecycle/types.js';
import { showOrgChoice } from '../screening/index.js';
import { declineArticle } from './decline-basis.js';
import { signatureOf } from './signature.js';
import { tellFollowers } from './followers.js';

/** [Nhận xử lý]: the spokesperson takes the inquiry; the reporter is told. */
export async function onAck(ctx: FlowContext, payload: string): Promise<void> {
  const admitted = await loadFor(ctx, payload, 'acknowledge');
  if (admitted) await acknowledge(ctx, admitted);
}

/** Takes an admitted inquiry on (also from [Đang xử lý] on a reminder). */
export async function acknowledge(ctx: FlowContext, admitted: Admitted<'acknowledge'>): Promise<void> {
  const r = await transition(ctx, admitted, { set: { handler_person_id: ctx.actor.person?.id ?? null, acknowledged_at: ctx.nowIso } });
  if (!r.ok) return tellRefusal(ctx, r, String(admitted.inquiry.id));
  const updated = r.inquiry;
  const org = updated.org_id ? await findOrg(ctx.db, updated.org_id) : undefined;
  await ctx.reply((t) => ({ text: t.ackDone(codeOf(updated)) }));
  await toReporterThread(ctx.db, ctx.effects, updated, (t) => ({ text: t.ackToReporter(codeOf(updated), orgName(org, t)) }), 'info');
}

/** [Trả lời]: wait for the answer text. */
export async function onAnswerButton(ctx: FlowContext, payload: string): Promise<void> {
  const admitted = await loadFor(ctx, payload, 'answer');
  if (!admitted) return;
  const code = codeOf(admitted.inquiry);
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'answer', inquiryId: admitted.inquiry.id }, ctx.nowIso);
  await ctx.reply((t) => ({ text: t.askAnswerText(code) }));
}

/** [Hỏi lại phóng viên]: wait for the clarification question. */
export async function onClarifyButton(ctx: FlowContext, payload: string): Promise<void> {
  const admitted = await loadFor(ctx, payload, 'clarify');
  if (!admitted) return;
  const code = codeOf(admitted.inquiry);
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'clarify', inquiryId: admitted.inquiry.id }, ctx.nowIso);
  await ctx.reply((t) => ({ text: t.askClarifyText(code) }));
}

/** The clarification question: it reaches the reporter as a reply in their thread; the clock pauses. */
export async function submitClarification(ctx: FlowContext, inquiryId: number, question: string, files: readonly number[] = []): Promise<void> {
  await clearDialog(ctx);
  const admitted = await loadFor(ctx, inquiryId, 'clarify');
  if (!admitted) return;
  const r = await transition(ctx, admitted, { set: { handler_person_id: ctx.actor.person?.id ?? admitted.inquiry.handler_person_id }, entryText: question, files });
  if (!r.ok) return tellRefusal(ctx, r, String(inquiryId));
  const updated = r.inquiry;
  const org = updated.org_id ? await findOrg(ctx.db, updated.org_id) : undefined;
  await toReporterThread(ctx.db, ctx.effects, updated, (t) => ({ text: `${t.clarifyToReporter(codeOf(updated), orgName(org, t), question || t.files.seeAttached(files.length))}\n${t.clockPaused}` }), 'clarification', files);
  await ctx.reply((t) => ({ text: `${t.clarifyDone(codeOf(updated))}\n${t.clockPaused}` }));
}

/** [Chuyển đơn vị]: choose the agency. */
export async function onTransferButton(ctx: FlowContext, payload: string): Promise<void> {
  const admitted = await loadFor(ctx, payload, 'transfer');
  if (admitted) await showOrgChoice(ctx, admitted.inquiry, 'spokesperson', A.transferTo, 'chooseTransferOrg');
}

/**
 * Transfer to the chosen agency, once it is checked (in force, another one, someone to receive
 * it). The received time is kept: the clock does not restart; the new agency's own period applies.
 */
export async function onTransferTo(ctx: FlowContext, payload: string): Promise<void> {
  const pair = parsePair(payload);
  const admitted = pair ? await loadFor(ctx, pair[0], 'transfer') : undefined;
  if (!pair || !admitted) return;
  const target = await checkTarget(ctx, admitted.inquiry, Number(pair[1]), 'spokesperson');
  if ('problem' in target) return void await ctx.reply((t) => ({ text: t.lifecycle.targetRefused(orgName(target.org, t), target.problem) }));
  const { org } = target;
  const from = admitted.inquiry.org_id ? await findOrg(ctx.db, admitted.inquiry.org_id) : undefined;
  const r = await transition(ctx, admitted, {
    set: { org_id: org.id, handler_person_id: null }, clock: { orgId: org.id }, entryText: `${from?.code ?? ''} → ${org.code}`,
    audit: { before: { org: from?.code }, after: { org: org.code } },
  });
  if (!r.ok) return tellRefusal(ctx, r, String(pair[0]));
  const updated = r.inquiry;
  await ctx.reply((t) => ({ text: t.transferDone(codeOf(updated), orgName(org, t)) }));
  await toReporterThread(ctx.db, ctx.effects, updated, (t) => ({ text: t.transferToReporter(codeOf(updated), orgName(org, t)) }), 'info');
  await notifyAgency(ctx.db, ctx.effects, updated, ctx.today, (t) => `↪ ${orgName(from, t)}`);
}

/** [Từ chối]: choose the statutory ground. */
export async function onDeclineButton(ctx: FlowContext, payload: string): Promise<void> {
  const admitted = await loadFor(ctx, payload, 'decline');
  if (!admitted) return;
  const { id } = admitted.inquiry;
  const code = codeOf(admitted.inquiry);
  await ctx.reply((t) => ({
    text: t.chooseGround(code),
    buttons: DECLINE_GROUNDS.map((g) => [btn(t.groundLabel(g), A.declineGround, `${id}.${g}`)]),
  }));
}

/** Ground chosen: wait for the written reason. */
export async function onDeclineGround(ctx: FlowContext, payload: string): Promise<void> {
  const pair = parsePair(payload);
  const ground = pair?.[1] as DeclineGround | undefined;
  if (!pair || !ground || !DECLINE_GROUNDS.includes(ground)) return;
  const admitted = await loadFor(ctx, pair[0], 'decline');
  if (!admitted) return;
  const code = codeOf(admitted.inquiry);
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'decline_reason', inquiryId: admitted.inquiry.id, ground }, ctx.nowIso);
  await ctx.reply((t) => ({ text: t.askDeclineReason(code, t.groundLabel(ground)) }));
}

/** The written reason: the reporter receives the ground and the reason (Decree 244 Art. 4(3)). */
export async function submitDecline(ctx: FlowContext, inquiryId: number, ground: DeclineGround, reason: string, files: readonly number[] = []): Promise<void> {
  await clearDialog(ctx);
  const admitted = await loadFor(ctx, inquiryId, 'decline');
  if (!admitted) return;
  const r = await transition(ctx, admitted, {
    set: { decline_ground: ground, decline_reason: reason, handler_person_id: ctx.actor.person?.id ?? null },
    entryText: `${ground}: ${reason}`, audit: { after: { ground } }, files,
  });
  if (!r.ok) return tellRefusal(ctx, r, String(inquiryId));
  const updated = r.inquiry;
  const org = updated.org_id ? await findOrg(ctx.db, updated.org_id) : undefined;
  const sign = await signatureOf(ctx.db, ctx.actor.person?.id, org);
  // As with an answer, the reporters of questions merged into this one are told in their own thread.
  const targets = [updated, ...(await listMergedInto(ctx.db, updated.id))];
  for (const target of targets) {
    await toReporterThread(ctx.db, ctx.effects, target, (t) => ({
      text: t.answer.declineToReporter(codeOf(target), orgName(org, t), t.groundLabel(ground), declineArticle(updated, ground, t.locale), reason, sign(t)),
    }), 'info', files);
  }
  await tellFollowers(ctx, updated, targets, (t) => ({
    text: t.answer.declineToFollower(codeOf(updated), orgName(org, t), t.groundLabel(ground), declineArticle(updated, ground, t.locale), reason, sign(t)),
  }), files);
  await ctx.reply((t) => ({ text: t.answer.declineDone(codeOf(updated)) }));
}
