import { CODE_FAILED_ACTION, countFailedCodes, maskTypedCode } from '../db/repositories/credentials.js';
import type { FlowContext } from './context.js';

/**
 * Guessing invite, link and sign-in codes. Every path that accepts a code (`/start CODE`, `/link
 * CODE`, a bare code from a chat that belongs to nobody) counts wrong codes per identity and per
 * person in the audit trail, on every platform and across processes; past the limit, codes from
 * them are refused for a while. (The web API also limits per session and per address.)
 */

/** Wrong codes allowed per identity (and per person) within {@link CODE_WINDOW_MS}. */
export const MAX_FAILED_CODES = 10;
/** The window wrong codes are counted in, in ms (15 minutes). */
export const CODE_WINDOW_MS = 15 * 60_000;

/** True while this actor may still try codes. */
export async function mayTryCode(ctx: FlowContext): Promise<boolean> {
  const since = new Date(ctx.now.getTime() - CODE_WINDOW_MS).toISOString();
  return (await countFailedCodes(ctx.db, ctx.actor.identity.id, ctx.actor.person?.id ?? null, since)) < MAX_FAILED_CODES;
}

/** {@link mayTryCode}, telling the actor when they may not. */
export async function mayTryCodeOrSay(ctx: FlowContext): Promise<boolean> {
  if (await mayTryCode(ctx)) return true;
  await ctx.reply((t) => ({ text: t.channel.tooManyCodes(CODE_WINDOW_MS / 60_000) }));
  return false;
}

/** Counts one wrong code (unknown, used or expired) against this identity and its person. */
export async function recordFailedCode(ctx: FlowContext, kind: 'invite' | 'link'): Promise<void> {
  await ctx.effects.audit(CODE_FAILED_ACTION, 'identity', ctx.actor.identity.id, null, { kind });
}

/**
 * The code the actor typed is a credential (or a guess at one): it is masked in the stored event
 * and, on the web, in their timeline, in this transaction. Masked whatever it turned out to be.
 */
export async function forgetTypedCode(ctx: FlowContext, typed: string): Promise<void> {
  const e = ctx.event;
  await maskTypedCode(ctx.db, { platform: e.platform, eventId: e.eventId, chatId: e.chatId, ...('messageId' in e ? { messageId: e.messageId } : {}) }, typed.trim());
}

/** Text that could be an invite or link code: one token of 6–64 code characters, or `ABCD EFGH`. */
export function looksLikeCode(text: string): boolean {
  return /^(?:[A-Za-z0-9_-]{6,64}|[A-Za-z0-9]{4}[\s-]?[A-Za-z0-9]{4})$/.test(text.trim());
}
