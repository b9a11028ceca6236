import { truncateText } from '../../adapters/types.js';
import { findInquiryByCode } from '../../db/repositories/inquiries.js';
import type { FlowContext } from '../context.js';
import { admit, tellRefusal } from '../guards.js';
import { transition } from '../lifecycle/transition.js';
import { spokespersonsFor } from '../roles.js';
import { codeOf } from './view.js';

/** `/withdraw Q-12`: the reporter withdraws their own open inquiry; the agency is told. */
export async function onWithdraw(ctx: FlowContext, args: string): Promise<void> {
  const found = args.trim() ? await findInquiryByCode(ctx.db, args) : undefined;
  if (!found) return void await ctx.reply((t) => ({ text: args.trim() ? t.inquiryNotFound(truncateText(args.trim(), 20)) : t.withdrawUsage }));
  const admitted = await admit(ctx, found, 'withdraw');
  if (!admitted) return;
  const r = await transition(ctx, admitted);
  if (!r.ok) return tellRefusal(ctx, r, String(found.id));
  const updated = r.inquiry;
  await ctx.reply((t) => ({ text: t.withdrawn(codeOf(updated)), replyTo: updated.origin_message_id }));
  const reporter = ctx.actor.person?.full_name ?? '—';
  const staff = updated.handler_person_id ? [updated.handler_person_id] : await spokespersonsFor(ctx.db, updated, ctx.today);
  for (const personId of staff) await ctx.effects.notifyPerson(personId, (t) => ({ text: t.withdrawnToStaff(codeOf(updated), reporter) }));
}
