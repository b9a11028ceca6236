import type { Button } from '../../adapters/types.js';
import { findSentScreeningNotice } from '../../db/repositories/screening-notices.js';
import type { Inquiry } from '../../db/schema.js';
import type { FlowContext } from '../context.js';
import { editsInPlace, settleSent } from '../settle-sent.js';

/**
 * After a screening decision not made by pressing the notice's own buttons (a merge typed as
 * `/merge`, answered in the merge dialog, or the web page's one-click merge), the actor's screening
 * notice shows what was done, as a settled press would: the button of `action` chosen, the others
 * disabled (`payload`: the press that would have done it, when the notice has that very button). Only its buttons change, and only where the platform edits a sent message in place
 * (elsewhere an edit would arrive as a second copy of the notice); nothing when the notice never
 * reached this chat.
 */
export async function settleScreeningNotice(ctx: FlowContext, inquiry: Inquiry, action: string, payload?: string): Promise<void> {
  if (!editsInPlace(ctx)) return;
  const notice = await findSentScreeningNotice(ctx.db, inquiry.id, ctx.actor.identity.id);
  if (!notice?.buttons) return;
  // A merge into a likely duplicate the notice names marks that one button ("Gộp vào Q-12"), not every merge button.
  const exact = payload !== undefined && (JSON.parse(notice.buttons) as Button[][]).flat().some((b) => b.action === action && b.payload === payload);
  await settleSent(ctx, notice, (b) => b.action === action && (!exact || b.payload === payload));
}
