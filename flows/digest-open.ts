import type { Button } from '../adapters/types.js';
import { findDigestedRow } from '../db/repositories/outbox-digest.js';
import { parseId } from './buttons.js';
import type { FlowContext } from './context.js';

/**
 * A code pressed in a digest: the notice the digest carried is sent again on its own, with its
 * buttons and its reference to the inquiry (a reply to it answers the inquiry as usual). Only
 * for the person it was addressed to.
 */
export async function onDigestOpen(ctx: FlowContext, payload: string): Promise<void> {
  const id = parseId(payload);
  const row = id === undefined ? undefined : await findDigestedRow(ctx.db, id);
  const person = ctx.actor.person;
  const mine = row !== undefined && (row.identity_id === ctx.actor.identity.id || (person !== undefined && row.ref_person_id === person.id));
  if (!row || !mine || row.inquiry_id === null || row.ref_kind === null) {
    await ctx.reply((t) => ({ text: t.notAllowed }));
    return;
  }
  const buttons = row.buttons === null ? undefined : (JSON.parse(row.buttons) as Button[][]);
  await ctx.reply(() => ({ text: row.text, ...(buttons ? { buttons } : {}) }), { ref: { inquiryId: row.inquiry_id, kind: row.ref_kind } });
}
