import { findInquiry } from '../db/repositories/inquiries.js';
import type { Inquiry } from '../db/schema.js';
import { parseId } from './buttons.js';
import type { FlowContext } from './context.js';
import { codeOf } from './inquiry/view.js';
import { decide, LIFECYCLE } from './lifecycle/table.js';
import { lastStatusEvent } from './lifecycle/transition.js';
import type { Action, Admitted, Party, Refusal } from './lifecycle/types.js';
import { canSpeakFor, coordinates } from './roles.js';

/** What the actor is to this inquiry, among `wanted` (only those are checked: each costs a read). */
export async function partiesOf(ctx: FlowContext, inquiry: Inquiry, wanted: readonly Party[]): Promise<Set<Party>> {
  const found = new Set<Party>();
  if (wanted.includes('reporter') && ctx.actor.person?.id === inquiry.reporter_person_id) found.add('reporter');
  if (wanted.includes('spokesperson') && (await canSpeakFor(ctx.db, ctx.actor, inquiry))) found.add('spokesperson');
  if (wanted.includes('coordinator') && (await coordinates(ctx.db, ctx.actor, inquiry.org_id ?? inquiry.suggested_org_id))) found.add('coordinator');
  return found;
}

/**
 * May the actor do one of `actions` (the first that fits the inquiry's status) now? Reads the
 * lifecycle table only; replies nothing. A refusal says why; nothing is changed.
 */
export async function check<A extends Action>(ctx: FlowContext, inquiry: Inquiry, actions: A | readonly A[]): Promise<Admitted<A> | Refusal> {
  const list: readonly A[] = typeof actions === 'string' ? [actions] : actions;
  const parties = await partiesOf(ctx, inquiry, [...new Set(list.flatMap((a) => LIFECYCLE[a].who))]);
  let stale = false;
  for (const action of list) {
    const verdict = decide(action, inquiry.status, parties);
    if (verdict === 'ok') return { inquiry, action, as: LIFECYCLE[action].who.find((p) => parties.has(p))! };
    stale ||= verdict === 'stale';
  }
  if (!stale) return { reason: 'not_allowed' };
  return { reason: 'stale', inquiry, last: await lastStatusEvent(ctx, inquiry.id) };
}

/** {@link check}, telling the actor plainly when refused. */
export async function admit<A extends Action>(ctx: FlowContext, inquiry: Inquiry, actions: A | readonly A[]): Promise<Admitted<A> | undefined> {
  const verdict = await check(ctx, inquiry, actions);
  if ('action' in verdict) return verdict;
  await tellRefusal(ctx, verdict, String(inquiry.id));
  return undefined;
}

/**
 * Loads the inquiry named by a button payload, a dialog or a command, and admits it for one of
 * `actions`; tells the actor when it cannot (unknown inquiry, no standing, or its status moved on).
 */
export async function loadFor<A extends Action>(ctx: FlowContext, idOrPayload: number | string, actions: A | readonly A[]): Promise<Admitted<A> | undefined> {
  const id = typeof idOrPayload === 'number' ? idOrPayload : parseId(idOrPayload);
  const inquiry = id ? await findInquiry(ctx.db, id) : undefined;
  if (!inquiry) {
    await tellRefusal(ctx, { reason: 'not_found' }, String(idOrPayload));
    return undefined;
  }
  return admit(ctx, inquiry, actions);
}

/** Narrows an inquiry admitted for one of several actions to the one it was admitted for. */
export function admittedFor<A extends Action>(admitted: Admitted, action: A): admitted is Admitted<A> {
  return admitted.action === action;
}

/**
 * Tells the actor why nothing happened: unknown inquiry; not theirs to act on (also audited); or
 * what someone did to it, and when ("Q-12 đã được Nguyễn Văn A trả lời lúc …").
 */
export async function tellRefusal(ctx: FlowContext, refusal: Refusal, asked: string): Promise<void> {
  if (refusal.reason === 'not_found') {
    // A button carries an internal id: never shown to people, who only know codes.
    const fromButton = ctx.event.kind === 'button' || /^\d+$/.test(asked);
    return void await ctx.reply((t) => ({ text: fromButton ? t.unknownButton : t.inquiryNotFound(asked.slice(0, 20)) }));
  }
  if (refusal.reason === 'not_allowed') {
    await ctx.effects.audit('access.denied', 'inquiry', asked, null, { event: ctx.event.kind });
    return void await ctx.reply((t) => ({ text: t.notAllowed }));
  }
  const { inquiry, last } = refusal;
  const self = last?.byPersonId !== null && last?.byPersonId === ctx.actor.person?.id;
  await ctx.reply((t) => ({
    text: last
      ? t.lifecycle.happened({ code: codeOf(inquiry), action: last.action, by: last.by, self, at: last.at })
      : t.stale(codeOf(inquiry), inquiry.status),
  }));
}
