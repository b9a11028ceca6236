import { truncateText, type CommandEvent, type InboundEvent } from '../../adapters/types.js';
import { findCorrection, insertCorrection, setCorrectionOutcome } from '../../db/repositories/press-records.js';
import { CORRECTION_OUTCOMES, type CorrectionOutcome } from '../../db/schema-stats.js';
import { localDate, parseLocalDate } from '../copy/format.js';
import type { FlowContext } from '../context.js';
import { speakerAgency } from '../press/speaker.js';

/**
 * The attached official letter of a correction request, once messages carry attachments (issue
 * #13): the hook returns the attachment's reference from the `/correction` message, stored as
 * `correction_requests.document_ref` (the dashboard and the annual report list it). Until then
 * there is none.
 */
export function documentRefOf(_event: InboundEvent): string | null {
  return null;
}

/**
 * `/correction outlet | article | dd/mm/yyyy | grounds` records a spokesperson's written request to
 * a press outlet to correct a false report (Decree 244 Art. 7(6)); `/correction CC-n outcome [note]`
 * records what came of it. Counted in the annual report.
 */
export async function onCorrectionCommand(ctx: FlowContext, e: CommandEvent): Promise<void> {
  const orgId = await speakerAgency(ctx, 'correction_request');
  if (orgId === undefined) return;
  const outcome = /^(cc-?\d+)\s+(\S+)\s*([\s\S]*)$/i.exec(e.args.trim());
  if (outcome) return recordOutcome(ctx, orgId, outcome[1]!, outcome[2]!.toLowerCase(), outcome[3]!.trim());
  const parts = e.args.split('|').map((p) => p.trim());
  if (parts.length !== 4 || parts.some((p) => p === '')) return void await ctx.reply((t) => ({ text: t.press.correctionUsage }));
  const [outlet, article, published, grounds] = parts as [string, string, string, string];
  const publishedOn = parseLocalDate(published);
  const today = localDate(ctx.now);
  if (!publishedOn || publishedOn > today) return void await ctx.reply((t) => ({ text: t.press.correctionBadDate(truncateText(published, 20)) }));
  const code = await insertCorrection(ctx.db, {
    orgId, recordedBy: ctx.actor.person?.id ?? null, outletId: null, outletName: truncateText(outlet, 200), article: truncateText(article, 1000),
    publishedOn, requestedOn: today, grounds: truncateText(grounds, ctx.settings.maxTextChars), documentRef: documentRefOf(e), nowIso: ctx.nowIso,
  });
  await ctx.effects.audit('correction.record', 'correction_request', code, null, { org_id: orgId, outlet, published_on: publishedOn });
  await ctx.reply((t) => ({ text: t.press.correctionRecorded(code, outlet) }));
}

async function recordOutcome(ctx: FlowContext, orgId: number, code: string, outcome: string, note: string): Promise<void> {
  if (!(CORRECTION_OUTCOMES as readonly string[]).includes(outcome) || outcome === 'pending') return void await ctx.reply((t) => ({ text: t.press.correctionOutcomeUsage }));
  const request = await findCorrection(ctx.db, code);
  if (!request || request.org_id !== orgId) return void await ctx.reply((t) => ({ text: t.press.correctionNotFound(truncateText(code, 20)) }));
  await setCorrectionOutcome(ctx.db, request.id, outcome as CorrectionOutcome, note === '' ? null : truncateText(note, 1000), localDate(ctx.now), ctx.nowIso);
  await ctx.effects.audit('correction.outcome', 'correction_request', request.code ?? code, { outcome: request.outcome }, { outcome });
  await ctx.reply((t) => ({ text: t.press.correctionOutcomeSaved(request.code ?? code, outcome) }));
}
