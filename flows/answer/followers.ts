import type { OutboundMessage } from '../../adapters/types.js';
import { claimFollowers } from '../../db/repositories/followers.js';
import type { Inquiry } from '../../db/schema.js';
import type { Copy } from '../copy/index.js';
import type { FlowContext } from '../context.js';

/**
 * Sends an inquiry's outcome (answer or decline) to the reporters who follow it, each in their own
 * chat, through the outbox in the answering transaction. Each follower is claimed once per outcome
 * (`claimFollowers`), and the reporters who receive it in their own thread (`reporters`) are
 * skipped. No reference to the inquiry is recorded, so a reply there is a new question, never a
 * follow-up on someone else's inquiry.
 */
export async function tellFollowers(ctx: FlowContext, inquiry: Inquiry, reporters: readonly Inquiry[], build: (t: Copy) => OutboundMessage, files: readonly number[] = []): Promise<number> {
  const skip = new Set(reporters.map((r) => r.reporter_person_id));
  // A merge moves the duplicate's followers here (flows/screening/index.ts); those of a merge made
  // before it did still follow the duplicate, and wait for this one's outcome too.
  const followed = [inquiry.id, ...reporters.filter((r) => r.merged_into_id === inquiry.id).map((r) => r.id)];
  let sent = 0;
  for (const inquiryId of followed) for (const personId of await claimFollowers(ctx.db, inquiryId, ctx.nowIso)) {
    if (skip.has(personId)) continue;
    skip.add(personId);
    const id = await ctx.effects.notifyPerson(personId, build, files.length > 0 ? { files } : {});
    if (id !== undefined) sent += 1;
  }
  return sent;
}
