import { truncateText, type CommandEvent } from '../../adapters/types.js';
import { insertStatement } from '../../db/repositories/press-records.js';
import { parseLocalDateTime } from '../copy/format.js';
import type { FlowContext } from '../context.js';
import { fromFlow, refused, replyWith, type PressContext, type PressOutcome } from './action.js';
import { speakerAgency } from './speaker.js';

/** The 24-hour rule (Decree 244 Art. 7(3)–(4)), in ms. */
const DAY_MS = 24 * 3_600_000;

/** A statement as typed: the event's time `dd/mm/yyyy HH:mm` (Vietnam), the title, an optional link. */
export interface StatementInput {
  eventAt: string;
  title: string;
  link?: string;
}

/**
 * Records a statement the actor's agency published now, on its own initiative, about an event at
 * `eventAt`. It counts as an event under the 24-hour rule (with the `incident` / `public_opinion`
 * inquiries), on time when published within 24 hours of the event. A regular spokesperson or head
 * only; a link that is not http(s) is dropped.
 */
export async function recordStatement(ctx: PressContext, input: StatementInput): Promise<PressOutcome> {
  const orgId = await speakerAgency(ctx, 'statement');
  if (orgId === undefined) return refused('forbidden', (t) => t.press.notAllowed);
  const when = input.eventAt.trim();
  const eventAt = parseLocalDateTime(when);
  if (!eventAt || eventAt.getTime() > ctx.now.getTime()) return refused('invalid', (t) => t.press.statementBadTime(truncateText(when, 40)), 'eventAt');
  if (input.title.trim() === '') return refused('invalid', (t) => t.press.fieldMissing('title'), 'title');
  const title = truncateText(input.title.trim(), 500);
  const typed = input.link?.trim() ?? '';
  const link = /^https?:\/\/\S+$/i.test(typed) ? typed : null;
  const code = await insertStatement(ctx.db, { orgId, recordedBy: ctx.actor.person?.id ?? null, title, eventAt: eventAt.toISOString(), publishedAt: ctx.nowIso, link, nowIso: ctx.nowIso });
  const elapsed = ctx.now.getTime() - eventAt.getTime();
  await ctx.effects.audit('statement.record', 'statement', code, null, { org_id: orgId, event_at: eventAt.toISOString(), on_time: elapsed <= DAY_MS, via: ctx.via });
  return { ok: true, code, say: (t) => t.press.statementRecorded({ code, title, eventAt, onTime: elapsed <= DAY_MS, hours: Math.round(elapsed / 360_000) / 10 }) };
}

/** `/statement dd/mm/yyyy HH:mm | title [| link]`: {@link recordStatement} from chat. */
export async function onStatementCommand(ctx: FlowContext, e: CommandEvent): Promise<void> {
  const parts = e.args.split('|').map((p) => p.trim());
  const press = fromFlow(ctx);
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    // The refusal of someone without standing comes first: the usage is no help to them.
    if ((await speakerAgency(press, 'statement')) === undefined) return void await ctx.reply((t) => ({ text: t.press.notAllowed }));
    return void await ctx.reply((t) => ({ text: t.press.statementUsage }));
  }
  await replyWith(ctx, await recordStatement(press, { eventAt: parts[0]!, title: parts[1]!, ...(parts[2] ? { link: parts[2] } : {}) }));
}
