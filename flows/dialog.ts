import { setDialog } from '../db/repositories/identities.js';
import type { DeclineGround } from '../db/schema.js';
import type { FlowContext } from './context.js';
import type { SimilarRef } from './inquiry/similar.js';

/** What the bot is waiting for from one identity. Stored as JSON on the identity. */
export type Dialog =
  | { step: 'reg_name' }
  | { step: 'reg_outlet'; name: string }
  | { step: 'reg_card'; name: string; outletId: number | null; outletName: string | null }
  | { step: 'ask_text'; files?: number[] }
  /** `promptOutboxId`: the outbox row of the prompt whose buttons answer this step (absent in dialogs stored before it was kept). */
  | { step: 'ask_topic'; question: string; messageId: string; files?: number[]; promptOutboxId?: number }
  /** `duplicates`: the topic's inquiries like the question, found when its topic was chosen, for the screening notice. */
  | { step: 'ask_confirm'; question: string; messageId: string; topicId: number; files?: number[]; duplicates?: SimilarRef[]; promptOutboxId?: number }
  | { step: 'answer'; inquiryId: number }
  /** An answer (or its correction) previewed as draft `draftId` (`answer_drafts`), waiting for [Gửi câu trả lời]. */
  | { step: 'answer_confirm'; inquiryId: number; draftId: number; correcting?: boolean }
  /** Waiting for the corrected text of a sent answer. */
  | { step: 'answer_correct'; inquiryId: number }
  | { step: 'clarify'; inquiryId: number }
  | { step: 'decline_reason'; inquiryId: number; ground: DeclineGround }
  | { step: 'reject_reason'; inquiryId: number }
  | { step: 'merge_code'; inquiryId: number }
  | { step: 'ext_reason'; inquiryId: number }
  | { step: 'ext_due'; inquiryId: number; reason: string }
  | { step: 'conclusion_date'; inquiryId: number };

const STEPS = new Set(['reg_name', 'reg_outlet', 'reg_card', 'ask_text', 'ask_topic', 'ask_confirm', 'answer', 'answer_confirm', 'answer_correct', 'clarify', 'decline_reason', 'reject_reason', 'merge_code', 'ext_reason', 'ext_due', 'conclusion_date']);

/** Parses a stored dialog; anything unrecognised (an older format) counts as no dialog. */
export function parseDialog(json: string | null): Dialog | undefined {
  if (!json) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    if (value && typeof value === 'object' && STEPS.has((value as { step?: string }).step ?? '')) return value as Dialog;
  } catch {
    return undefined;
  }
  return undefined;
}

/** Forgets what the bot was waiting for from the actor (a write only when it was waiting). */
export async function clearDialog(ctx: FlowContext): Promise<void> {
  if (ctx.actor.identity.dialog) await setDialog(ctx.db, ctx.actor.identity.id, null, ctx.nowIso);
}
