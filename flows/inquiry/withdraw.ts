import { truncateText } from '../../adapters/types.js';
import { findInquiryByCode, addEntry, updateInquiryIf } from '../../db/repositories/inquiries.js';
import { OPEN_INQUIRY_STATUSES } from '../../db/schema.js';
import type { FlowContext } from '../context.js';
import { loadForAction } from '../guards.js';
import { spokespersonsFor } from '../roles.js';
import { codeOf } from './view.js';

/** `/withdraw Q-12`: the reporter withdraws their own open inquiry; the agency is told. */
export async function onWithdraw(ctx: FlowContext, args: string): Promise<void> {
  const found = args.trim() ? await findInquiryByCode(ctx.db, args) : undefined;
  if (!found) return void await ctx.reply((t) => ({ text: args.trim() ? t.inquiryNotFound(truncateText(args.trim(), 20)) : t.withdrawUsage }));
  const inquiry = await loadForAction(ctx, found.id, 'reporter', OPEN_INQUIRY_STATUSES);
  if (!inquiry) return;
  const updated = await updateInquiryIf(ctx.db, inquiry.id, OPEN_INQUIRY_STATUSES, { status: 'withdrawn', closed_at: ctx.nowIso, updated_at: ctx.nowIso });
  if (!updated) return;
  ctx.effects.syncDeadline(inquiry.id);
  await addEntry(ctx.db, inquiry.id, 'withdrawal', ctx.actor.person?.id ?? null, '', ctx.nowIso);
  await ctx.effects.audit('inquiry.withdraw', 'inquiry', inquiry.id, { status: inquiry.status }, { status: 'withdrawn' });
  await ctx.reply((t) => ({ text: t.withdrawn(codeOf(updated)), replyTo: updated.origin_message_id }));
  const reporter = ctx.actor.person?.full_name ?? '—';
  const staff = inquiry.handler_person_id ? [inquiry.handler_person_id] : await spokespersonsFor(ctx.db, inquiry, ctx.today);
  for (const personId of staff) await ctx.effects.notifyPerson(personId, (t) => ({ text: t.withdrawnToStaff(codeOf(updated), reporter) }));
}
