import { findPerson } from '../../db/repositories/directory.js';
import { findIdentity } from '../../db/repositories/identities.js';
import { findInquiry } from '../../db/repositories/inquiries.js';
import { listHeldOutbox } from '../../db/repositories/outbox.js';
import type { HeldLine } from '../copy/reply-window-types.js';
import type { FlowContext } from '../context.js';
import { codeOf } from '../inquiry/view.js';
import { activeRoles } from '../roles.js';

/** Most held messages listed at once. */
const MAX_HELD_LINES = 30;

/**
 * `/held` for coordinators: messages (mostly answers) parked because their recipient's reply
 * window closed (Zalo OA, 48 h; each goes out when its recipient writes) or because the channel's
 * own credentials were refused (each goes out once an admin restores them), when the person has
 * no other chat.
 */
export async function onHeld(ctx: FlowContext): Promise<void> {
  if (!activeRoles(ctx.actor).includes('coordinator')) return void await ctx.reply((t) => ({ text: t.notAllowed }));
  const rows = await listHeldOutbox(ctx.db, MAX_HELD_LINES);
  if (rows.length === 0) return void await ctx.reply((t) => ({ text: t.replyWindow.heldEmpty }));
  const lines: HeldLine[] = [];
  for (const row of rows) {
    const identity = await findIdentity(ctx.db, row.identity_id);
    const person = identity?.person_id ? await findPerson(ctx.db, identity.person_id) : undefined;
    const inquiry = row.inquiry_id ? await findInquiry(ctx.db, row.inquiry_id) : undefined;
    lines.push({
      name: person?.full_name ?? identity?.display_name ?? `#${row.identity_id}`, createdAt: row.created_at,
      reason: row.held_reason === 'credentials' ? 'credentials' : 'reply_window', platform: row.platform, ...(inquiry ? { code: codeOf(inquiry) } : {}),
    });
  }
  await ctx.reply((t) => ({ text: t.replyWindow.heldList(lines) }));
}
