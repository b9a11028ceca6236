import { findInquiry } from '../db/repositories/inquiries.js';
import type { Inquiry, InquiryStatus } from '../db/schema.js';
import { parseId } from './buttons.js';
import type { FlowContext } from './context.js';
import { canSpeakFor, coordinates } from './roles.js';
import { codeOf } from './inquiry/view.js';

/** Statuses in which the agency can still act on an inquiry. */
export const AGENCY_OPEN: readonly InquiryStatus[] = ['assigned', 'acknowledged', 'clarifying'];

type Check = 'spokesperson' | 'coordinator' | 'reporter';

/**
 * Loads the inquiry named by a button payload or dialog and checks that the actor may act on it
 * in its current status. Tells the actor politely (and logs via audit) when not; returns undefined then.
 */
export async function loadForAction(ctx: FlowContext, idOrPayload: number | string, who: Check, statuses: readonly InquiryStatus[]): Promise<Inquiry | undefined> {
  const id = typeof idOrPayload === 'number' ? idOrPayload : parseId(idOrPayload);
  const inquiry = id ? await findInquiry(ctx.db, id) : undefined;
  if (!inquiry) {
    await ctx.reply((t) => ({ text: t.inquiryNotFound(String(idOrPayload)) }));
    return undefined;
  }
  if (!(await allowed(ctx, inquiry, who))) {
    await ctx.effects.audit('access.denied', 'inquiry', inquiry.id, null, { as: who, event: ctx.event.kind });
    await ctx.reply((t) => ({ text: t.notAllowed }));
    return undefined;
  }
  if (!statuses.includes(inquiry.status)) {
    await ctx.reply((t) => ({ text: t.stale(codeOf(inquiry), inquiry.status) }));
    return undefined;
  }
  return inquiry;
}

async function allowed(ctx: FlowContext, inquiry: Inquiry, who: Check): Promise<boolean> {
  if (who === 'reporter') return ctx.actor.person?.id === inquiry.reporter_person_id;
  if (who === 'coordinator') return coordinates(ctx.db, ctx.actor, inquiry.org_id ?? inquiry.suggested_org_id);
  return canSpeakFor(ctx.db, ctx.actor, inquiry);
}
