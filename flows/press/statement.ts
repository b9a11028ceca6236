import { truncateText, type CommandEvent } from '../../adapters/types.js';
import { insertStatement } from '../../db/repositories/press-records.js';
import { parseLocalDateTime } from '../copy/format.js';
import type { FlowContext } from '../context.js';
import { speakerAgency } from './speaker.js';

/** The 24-hour rule (Decree 244 Art. 7(3)–(4)), in ms. */
const DAY_MS = 24 * 3_600_000;

/**
 * `/statement dd/mm/yyyy HH:mm | title [| link]`: a spokesperson records a statement their agency
 * published now, on its own initiative, about an event at that time. It counts as an event under
 * the 24-hour rule (with the `incident` / `public_opinion` inquiries), on time when published within
 * 24 hours of the event.
 */
export async function onStatementCommand(ctx: FlowContext, e: CommandEvent): Promise<void> {
  const orgId = await speakerAgency(ctx, 'statement');
  if (orgId === undefined) return;
  const parts = e.args.split('|').map((p) => p.trim());
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) return void await ctx.reply((t) => ({ text: t.press.statementUsage }));
  const eventAt = parseLocalDateTime(parts[0]!);
  if (!eventAt || eventAt.getTime() > ctx.now.getTime()) return void await ctx.reply((t) => ({ text: t.press.statementBadTime(truncateText(parts[0]!, 40)) }));
  const title = truncateText(parts[1]!, 500);
  const link = parts[2] && /^https?:\/\/\S+$/i.test(parts[2]) ? parts[2] : null;
  const code = await insertStatement(ctx.db, { orgId, recordedBy: ctx.actor.person?.id ?? null, title, eventAt: eventAt.toISOString(), publishedAt: ctx.nowIso, link, nowIso: ctx.nowIso });
  const elapsed = ctx.now.getTime() - eventAt.getTime();
  await ctx.effects.audit('statement.record', 'statement', code, null, { org_id: orgId, event_at: eventAt.toISOString(), on_time: elapsed <= DAY_MS });
  await ctx.reply((t) => ({ text: t.press.statementRecorded({ code, title, eventAt, onTime: elapsed <= DAY_MS, hours: Math.round(elapsed / 360_000) / 10 }) }));
}
