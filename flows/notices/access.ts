import type { Notice } from '../../db/schema.js';
import type { FlowContext } from '../context.js';

/**
 * The organisations a coordinator may send notices to: null for an unscoped coordinator (every
 * contact), else the subtrees of their coordinator assignments; undefined when not a coordinator.
 */
export function noticeScope(ctx: FlowContext): number[] | null | undefined {
  const mine = ctx.actor.roles.filter((r) => r.role === 'coordinator' && r.status === 'active');
  if (mine.length === 0) return undefined;
  if (mine.some((r) => r.org_id === null)) return null;
  return mine.map((r) => r.org_id!);
}

/** Refuses (politely, audited) anyone who is not a coordinator; returns the scope when allowed. */
export async function requireCoordinator(ctx: FlowContext, what: string): Promise<number[] | null | undefined> {
  const scope = noticeScope(ctx);
  if (scope === undefined) {
    await ctx.effects.audit('access.denied', 'notice', what, null, { event: ctx.event.kind });
    await ctx.reply((t) => ({ text: t.notAllowed }));
  }
  return scope;
}

/** The author of a draft, or an unscoped coordinator, may confirm or cancel it. */
export function mayDecide(ctx: FlowContext, notice: Notice, scope: number[] | null): boolean {
  return scope === null || notice.created_by_person_id === ctx.actor.person?.id;
}
