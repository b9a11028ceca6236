import type { Button } from '../../adapters/types.js';
import { findSentScreeningNotice } from '../../db/repositories/screening-notices.js';
import type { Inquiry } from '../../db/schema.js';
import type { FlowContext } from '../context.js';

/**
 * After a screening decision not made by pressing the notice's own buttons (a merge typed as
 * `/merge`, answered in the merge dialog, or the web page's one-click merge), the actor's screening
 * notice shows what was done, as a settled press would: the button of `action` chosen, the others
 * disabled (`payload`: the press that would have done it, when the notice has that very button). Only its buttons change, and only where the platform edits a sent message in place
 * (elsewhere an edit would arrive as a second copy of the notice); nothing when the notice never
 * reached this chat.
 */
export async function settleScreeningNotice(ctx: FlowContext, inquiry: Inquiry, action: string, payload?: string): Promise<void> {
  if (ctx.settings.capabilities?.(ctx.actor.identity.platform)?.edits !== true) return;
  const notice = await findSentScreeningNotice(ctx.db, inquiry.id, ctx.actor.identity.id);
  if (!notice?.buttons) return;
  const sent = JSON.parse(notice.buttons) as Button[][];
  // A merge into a likely duplicate the notice names marks that one button ("Gộp vào Q-12"), not every merge button.
  const exact = payload !== undefined && sent.flat().some((b) => b.action === action && b.payload === payload);
  const chosen = (b: Button) => b.action === action && (!exact || b.payload === payload);
  const buttons = sent.map((row) => row.map((b) => ({ ...b, state: chosen(b) ? 'chosen' as const : 'disabled' as const })));
  // The same text, so the outbox edits only the buttons (see src/outbox/edit.ts).
  await ctx.effects.sendTo(ctx.actor.identity, () => ({ text: notice.text, buttons }), { edit: { outboxId: notice.id, text: () => notice.text } });
}
