import type { PressContext } from './action.js';

/**
 * The agency an actor speaks for: the organisation of their first active regular spokesperson or
 * head assignment (an authorised person speaks for one case only, not for the agency). Undefined
 * when none; the refusal is then audited (the caller tells the person, politely).
 */
export async function speakerAgency(ctx: PressContext, what: string): Promise<number | undefined> {
  const role = ctx.actor.roles.find((r) => r.role === 'spokesperson' && r.status === 'active' && r.kind !== 'authorised' && r.org_id !== null);
  if (role?.org_id) return role.org_id;
  await ctx.effects.audit('access.denied', what, 'command', null, { event: ctx.via });
  return undefined;
}
