import { truncateText } from '../../adapters/types.js';
import { setDialog } from '../../db/repositories/identities.js';
import { moveFollowers } from '../../db/repositories/followers.js';
import { findInquiryByCode } from '../../db/repositories/inquiries.js';
import type { Inquiry } from '../../db/schema.js';
import { A, btn, parsePair, rows } from '../buttons.js';
import type { FlowContext } from '../context.js';
import { clearDialog, type Dialog } from '../dialog.js';
import { loadFor, tellRefusal } from '../guards.js';
import { notifyAgency, toReporterThread } from '../inquiry/route.js';
import { codeOf, orgName } from '../inquiry/view.js';
import { isOpen } from '../lifecycle/table.js';
import { addressableOrgs, checkTarget, type Sender } from '../lifecycle/target.js';
import { settleScreeningNotice } from './settle.js';
import { transition } from '../lifecycle/transition.js';
import type { Admitted } from '../lifecycle/types.js';

/** Route to the suggested agency. */
export async function onRouteSuggested(ctx: FlowContext, payload: string): Promise<void> {
  const admitted = await loadFor(ctx, payload, 'route');
  if (admitted?.inquiry.suggested_org_id) await routeTo(ctx, admitted, admitted.inquiry.suggested_org_id);
}

/**
 * Shows the agencies the actor may send the inquiry to (see `addressableOrgs`). `action` is the
 * button that follows (re-route or transfer).
 */
export async function showOrgChoice(ctx: FlowContext, inquiry: Inquiry, as: Sender, action: string, title: 'chooseOrg' | 'chooseTransferOrg'): Promise<void> {
  const orgs = await addressableOrgs(ctx, inquiry, as);
  const code = codeOf(inquiry);
  if (orgs.length === 0) return void await ctx.reply((t) => ({ text: t.lifecycle.noTargets(code) }));
  await ctx.reply((t) => ({ text: t[title](code), buttons: rows(orgs.map((o) => btn(orgName(o, t), action, `${inquiry.id}.${o.id}`)), 1) }));
}

export async function onChooseOther(ctx: FlowContext, payload: string): Promise<void> {
  const admitted = await loadFor(ctx, payload, 'route');
  if (admitted) await showOrgChoice(ctx, admitted.inquiry, 'coordinator', A.routeTo, 'chooseOrg');
}

/** A coordinator picked an agency from the list. */
export async function onRouteToOrg(ctx: FlowContext, payload: string): Promise<void> {
  const pair = parsePair(payload);
  const admitted = pair ? await loadFor(ctx, pair[0], 'route') : undefined;
  if (pair && admitted) await routeTo(ctx, admitted, Number(pair[1]));
}

/** Routes once the agency is checked (in force, in the coordinator's scope, someone to receive it). */
async function routeTo(ctx: FlowContext, admitted: Admitted<'route'>, orgId: number): Promise<void> {
  const target = await checkTarget(ctx, admitted.inquiry, orgId, 'coordinator');
  if ('problem' in target) return void await ctx.reply((t) => ({ text: t.lifecycle.targetRefused(orgName(target.org, t), target.problem) }));
  const { org } = target;
  const r = await transition(ctx, admitted, { set: { org_id: org.id }, clock: { orgId: org.id }, audit: { after: { org: org.code } } });
  if (!r.ok) return tellRefusal(ctx, r, String(admitted.inquiry.id));
  const updated = r.inquiry;
  await ctx.reply((t) => ({ text: t.screeningDone(codeOf(updated), t.routedWhat(orgName(org, t))) }));
  await notifyAgency(ctx.db, ctx.effects, updated, ctx.today);
}

export async function onRejectScope(ctx: FlowContext, payload: string): Promise<void> {
  const admitted = await loadFor(ctx, payload, 'reject');
  if (!admitted) return;
  const code = codeOf(admitted.inquiry);
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'reject_reason', inquiryId: admitted.inquiry.id } satisfies Dialog, ctx.nowIso);
  await ctx.reply((t) => ({ text: t.askRejectReason(code) }));
}

/** The written reason for rejecting as out of scope; the reporter sees it. */
export async function onRejectReason(ctx: FlowContext, inquiryId: number, reason: string): Promise<void> {
  await clearDialog(ctx);
  const admitted = await loadFor(ctx, inquiryId, 'reject');
  if (!admitted) return;
  const r = await transition(ctx, admitted, { set: { reject_reason: reason }, entryText: reason, audit: { after: { reason } } });
  if (!r.ok) return tellRefusal(ctx, r, String(inquiryId));
  const updated = r.inquiry;
  await toReporterThread(ctx.db, ctx.effects, updated, (t) => ({ text: t.rejectedToReporter(codeOf(updated), reason) }), 'info');
  await ctx.reply((t) => ({ text: t.screeningDone(codeOf(updated), t.rejectedWhat) }));
}

/**
 * The merge button (`<id>`): asks for the code to merge into. With the code already given
 * (`<id>.Q-12`, from `/merge Q-13 Q-12` — or the web page's one-click "Gộp vào Q-12", `POST …/inquiry-action`), merges at once,
 * through the same checks.
 */
export async function onMerge(ctx: FlowContext, payload: string): Promise<void> {
  const pair = parsePair(payload);
  const admitted = await loadFor(ctx, pair ? pair[0] : payload, 'merge');
  if (!admitted) return;
  if (pair) return onMergeCode(ctx, pair[0], pair[1], false);
  const code = codeOf(admitted.inquiry);
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'merge_code', inquiryId: admitted.inquiry.id } satisfies Dialog, ctx.nowIso);
  await ctx.reply((t) => ({ text: t.askMergeCode(code) }));
}

/**
 * The code of the open inquiry to merge into. `inDialog`: typed in answer to the merge dialog's
 * question, which then waits for another code after a refusal; false when the code came with the
 * command or the page's one-click merge (no dialog waits, so the refusal asks for no typing).
 */
export async function onMergeCode(ctx: FlowContext, inquiryId: number, text: string, inDialog = true): Promise<void> {
  const target = await findInquiryByCode(ctx.db, text);
  if (!target || target.id === inquiryId || !isOpen(target.status)) {
    await ctx.reply((t) => ({ text: t.mergeInvalid(truncateText(text.trim(), 20), inDialog) }));
    return;
  }
  await clearDialog(ctx);
  const admitted = await loadFor(ctx, inquiryId, 'merge');
  if (!admitted) return;
  const r = await transition(ctx, admitted, { set: { merged_into_id: target.id }, entryText: codeOf(target), audit: { after: { into: target.id } } });
  if (!r.ok) return tellRefusal(ctx, r, String(inquiryId));
  const updated = r.inquiry;
  // Whoever followed the duplicate follows the kept question now: its outcome, and its row in their inbox.
  await moveFollowers(ctx.db, updated.id, target.id, target.reporter_person_id, ctx.nowIso);
  await toReporterThread(ctx.db, ctx.effects, updated, (t) => ({ text: t.mergedToReporter(codeOf(updated), codeOf(target)) }), 'info');
  await ctx.reply((t) => ({ text: t.screeningDone(codeOf(updated), t.mergedWhat(codeOf(target))) }));
  await settleScreeningNotice(ctx, updated, A.merge, `${updated.id}.${codeOf(target)}`);
}
