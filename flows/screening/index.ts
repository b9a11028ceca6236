import { findOrg, listRoutableOrgs } from '../../db/repositories/directory.js';
import { setDialog } from '../../db/repositories/identities.js';
import { addEntry, findInquiryByCode, updateInquiryIf } from '../../db/repositories/inquiries.js';
import { OPEN_INQUIRY_STATUSES, type Inquiry } from '../../db/schema.js';
import { A, btn, parsePair, rows } from '../buttons.js';
import type { FlowContext } from '../context.js';
import type { Dialog } from '../dialog.js';
import { loadForAction } from '../guards.js';
import { notifyAgency, toReporterThread } from '../inquiry/route.js';
import { assignDeadline } from '../inquiry/deadline.js';
import { codeOf, orgName } from '../inquiry/view.js';
import { spokespersonsFor } from '../roles.js';

/** Route to the suggested agency. */
export async function onRouteSuggested(ctx: FlowContext, payload: string): Promise<void> {
  const inquiry = await loadForAction(ctx, payload, 'coordinator', ['screening']);
  if (inquiry?.suggested_org_id) await routeTo(ctx, inquiry, inquiry.suggested_org_id);
}

/** Show the agencies to choose from. `action` is the follow-up button (screening or transfer). */
export async function showOrgChoice(ctx: FlowContext, inquiry: Inquiry, action: string, title: 'chooseOrg' | 'chooseTransferOrg'): Promise<void> {
  const orgs = (await listRoutableOrgs(ctx.db, ctx.today)).filter((o) => o.id !== inquiry.org_id);
  await ctx.reply((t) => ({ text: t[title](codeOf(inquiry)), buttons: rows(orgs.map((o) => btn(orgName(o, t), action, `${inquiry.id}.${o.id}`)), 1) }));
}

export async function onChooseOther(ctx: FlowContext, payload: string): Promise<void> {
  const inquiry = await loadForAction(ctx, payload, 'coordinator', ['screening']);
  if (inquiry) await showOrgChoice(ctx, inquiry, A.routeTo, 'chooseOrg');
}

/**
 * Whether `orgId` may receive `inquiry` from a button press: an agency the choice list offers (a
 * routable type, in force today) that has someone to receive it. Button data can be forged, so
 * the target is checked as the list would have offered it; a refusal is audited.
 */
export async function isValidTarget(ctx: FlowContext, inquiry: Inquiry, orgId: number): Promise<boolean> {
  const offered = (await listRoutableOrgs(ctx.db, ctx.today)).some((o) => o.id === orgId);
  const receivers = offered ? await spokespersonsFor(ctx.db, { ...inquiry, org_id: orgId }, ctx.today) : [];
  if (receivers.length > 0) return true;
  await ctx.effects.audit('inquiry.target_refused', 'inquiry', inquiry.id, null, { org_id: orgId });
  await ctx.reply((t) => ({ text: t.notAllowed }));
  return false;
}

/** A coordinator picked an agency from the list. */
export async function onRouteToOrg(ctx: FlowContext, payload: string): Promise<void> {
  const pair = parsePair(payload);
  const inquiry = pair ? await loadForAction(ctx, pair[0], 'coordinator', ['screening']) : undefined;
  const org = pair && inquiry ? await findOrg(ctx.db, Number(pair[1])) : undefined;
  if (inquiry && org && (await isValidTarget(ctx, inquiry, org.id))) await routeTo(ctx, inquiry, org.id);
}

async function routeTo(ctx: FlowContext, inquiry: Inquiry, orgId: number): Promise<void> {
  const routed = await updateInquiryIf(ctx.db, inquiry.id, ['screening'], { status: 'assigned', org_id: orgId, updated_at: ctx.nowIso });
  if (!routed) return;
  const updated = orgId === inquiry.suggested_org_id ? routed : await assignDeadline(ctx, routed, routed.deadline_class ?? 'routine', orgId);
  ctx.effects.syncDeadline(inquiry.id);
  const org = await findOrg(ctx.db, orgId);
  await ctx.effects.audit('inquiry.route', 'inquiry', inquiry.id, { status: 'screening' }, { status: 'assigned', org: org?.code });
  await ctx.reply((t) => ({ text: t.screeningDone(codeOf(updated), t.routedWhat(orgName(org, t))) }));
  await notifyAgency(ctx.db, ctx.effects, updated, ctx.today);
}

export async function onRejectScope(ctx: FlowContext, payload: string): Promise<void> {
  const inquiry = await loadForAction(ctx, payload, 'coordinator', ['screening']);
  if (!inquiry) return;
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'reject_reason', inquiryId: inquiry.id } satisfies Dialog, ctx.nowIso);
  await ctx.reply((t) => ({ text: t.askRejectReason(codeOf(inquiry)) }));
}

/** The written reason for rejecting as out of scope; the reporter sees it. */
export async function onRejectReason(ctx: FlowContext, inquiryId: number, reason: string): Promise<void> {
  await setDialog(ctx.db, ctx.actor.identity.id, null, ctx.nowIso);
  const inquiry = await loadForAction(ctx, inquiryId, 'coordinator', ['screening']);
  if (!inquiry) return;
  const updated = await updateInquiryIf(ctx.db, inquiry.id, ['screening'], { status: 'rejected', reject_reason: reason, closed_at: ctx.nowIso, updated_at: ctx.nowIso });
  if (!updated) return;
  ctx.effects.syncDeadline(inquiry.id);
  await addEntry(ctx.db, inquiry.id, 'rejection', ctx.actor.person?.id ?? null, reason, ctx.nowIso);
  await ctx.effects.audit('inquiry.reject', 'inquiry', inquiry.id, { status: 'screening' }, { status: 'rejected', reason });
  await toReporterThread(ctx.db, ctx.effects, updated, (t) => ({ text: t.rejectedToReporter(codeOf(updated), reason) }), 'info');
  await ctx.reply((t) => ({ text: t.screeningDone(codeOf(updated), t.rejectedWhat) }));
}

export async function onMerge(ctx: FlowContext, payload: string): Promise<void> {
  const inquiry = await loadForAction(ctx, payload, 'coordinator', ['screening']);
  if (!inquiry) return;
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'merge_code', inquiryId: inquiry.id } satisfies Dialog, ctx.nowIso);
  await ctx.reply((t) => ({ text: t.askMergeCode(codeOf(inquiry)) }));
}

/** The code of the open inquiry to merge into. */
export async function onMergeCode(ctx: FlowContext, inquiryId: number, text: string): Promise<void> {
  const target = await findInquiryByCode(ctx.db, text);
  const open = target && target.id !== inquiryId && OPEN_INQUIRY_STATUSES.includes(target.status);
  if (!target || !open) {
    await ctx.reply((t) => ({ text: t.mergeInvalid(text.trim().slice(0, 20)) }));
    return;
  }
  await setDialog(ctx.db, ctx.actor.identity.id, null, ctx.nowIso);
  const inquiry = await loadForAction(ctx, inquiryId, 'coordinator', ['screening']);
  if (!inquiry) return;
  const updated = await updateInquiryIf(ctx.db, inquiry.id, ['screening'], { status: 'merged', merged_into_id: target.id, closed_at: ctx.nowIso, updated_at: ctx.nowIso });
  if (!updated) return;
  ctx.effects.syncDeadline(inquiry.id);
  await addEntry(ctx.db, inquiry.id, 'merge', ctx.actor.person?.id ?? null, codeOf(target), ctx.nowIso);
  await ctx.effects.audit('inquiry.merge', 'inquiry', inquiry.id, { status: 'screening' }, { status: 'merged', into: target.id });
  await toReporterThread(ctx.db, ctx.effects, updated, (t) => ({ text: t.mergedToReporter(codeOf(updated), codeOf(target)) }), 'info');
  await ctx.reply((t) => ({ text: t.screeningDone(codeOf(updated), t.mergedWhat(codeOf(target))) }));
}
