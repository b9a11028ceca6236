import type { Copy } from '../copy/index.js';
import type { FlowContext } from '../context.js';

/**
 * What a press record action (conference, correction request, statement) needs: a flow context
 * without the inbound event and the reply, so the same rules run from a chat command and from the
 * dashboard's forms. `via` names the entry point in the audit trail (the event's kind, `dashboard`).
 */
export type PressContext = Omit<FlowContext, 'event' | 'reply' | 'planReply'> & { via: string };

/** Why an action was refused: no standing (403 on the web), a field not valid (400), a record not found (404), already done (409). */
export type PressRefusal = 'forbidden' | 'invalid' | 'not_found' | 'conflict';

/**
 * The result of a press record action. `say` is the sentence for the person, in either language
 * (the chat replies with it; the dashboard answers it in Vietnamese and English). `field` names
 * the form field a refusal is about, when it is about one.
 */
export type PressOutcome =
  | { ok: true; code: string; say(t: Copy): string }
  | { ok: false; refusal: PressRefusal; field?: string; say(t: Copy): string };

/** A refusal of `kind`, about `field` when given. */
export const refused = (refusal: PressRefusal, say: (t: Copy) => string, field?: string): PressOutcome => ({ ok: false, refusal, say, ...(field ? { field } : {}) });

/** The press context of a chat flow context (the entry point: `command`). */
export function fromFlow(ctx: FlowContext): PressContext {
  return { db: ctx.db, now: ctx.now, nowIso: ctx.nowIso, today: ctx.today, settings: ctx.settings, actor: ctx.actor, effects: ctx.effects, via: ctx.event.kind };
}

/** Replies in chat with an outcome's sentence. */
export async function replyWith(ctx: FlowContext, outcome: PressOutcome): Promise<void> {
  await ctx.reply((t) => ({ text: outcome.say(t) }));
}
