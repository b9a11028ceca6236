import { setIdentityLocale } from '../../db/repositories/identities.js';
import { setPersonLocale } from '../../db/repositories/persons.js';
import type { FlowContext } from '../context.js';

/**
 * Records the actor's language: on the person (every channel they use follows), or on the chat
 * alone before they are registered. Returns the identity as it now reads.
 */
export async function chooseLanguage(ctx: FlowContext, locale: 'vi' | 'en'): Promise<FlowContext['actor']['identity']> {
  if (ctx.actor.person) await setPersonLocale(ctx.db, ctx.actor.person.id, locale, ctx.nowIso);
  else await setIdentityLocale(ctx.db, ctx.actor.identity.id, locale, ctx.nowIso);
  return { ...ctx.actor.identity, locale };
}
