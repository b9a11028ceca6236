import type { Button } from '../adapters/types.js';
import { findOutbox } from '../db/repositories/outbox.js';
import type { OutboxRow } from '../db/schema.js';
import type { FlowContext } from './context.js';

/**
 * Shows on a message already delivered to the actor's chat (`row`) that its buttons are spent, as a
 * settled press would: the buttons `chosen` picks marked chosen, the others disabled (none chosen:
 * all disabled, e.g. a preview whose draft was replaced). Only its buttons change, and only where
 * the platform edits a sent message in place (elsewhere an edit would arrive as a second copy).
 */
export async function settleSent(ctx: FlowContext, row: OutboxRow, chosen: (b: Button) => boolean): Promise<void> {
  if (!editsInPlace(ctx) || !row.buttons) return;
  const sent = JSON.parse(row.buttons) as Button[][];
  const buttons = sent.map((r) => r.map((b) => ({ ...b, state: chosen(b) ? 'chosen' as const : 'disabled' as const })));
  // The same text, so the outbox edits only the buttons (see src/outbox/edit.ts).
  await ctx.effects.sendTo(ctx.actor.identity, () => ({ text: row.text, buttons }), { edit: { outboxId: row.id, text: () => row.text } });
}

/** Whether the platform of the actor's chat edits sent messages (when not, there is nothing to settle). */
export const editsInPlace = (ctx: FlowContext): boolean => ctx.settings.capabilities?.(ctx.actor.identity.platform)?.edits === true;

/**
 * A dialog ended otherwise than by its prompt's buttons (e.g. a question followed instead from the
 * web page's panel while the bot asked its topic): the prompt — outbox row `promptOutboxId`, kept
 * with the dialog, however many messages came after it — shows its buttons spent, none chosen.
 * Nothing when the dialog kept no prompt (stored before prompts were kept).
 */
export async function settlePrompt(ctx: FlowContext, promptOutboxId: number | undefined): Promise<void> {
  if (!editsInPlace(ctx) || promptOutboxId === undefined) return;
  const prompt = await findOutbox(ctx.db, promptOutboxId);
  if (prompt?.status === 'sent' && prompt.identity_id === ctx.actor.identity.id) await settleSent(ctx, prompt, () => false);
}
