import { truncateText, type CommandEvent, type InboundEvent } from '../../adapters/types.js';
import { findCorrection, insertCorrection, setCorrectionOutcome } from '../../db/repositories/press-records.js';
import { CORRECTION_OUTCOMES, type CorrectionOutcome } from '../../db/schema-stats.js';
import { localDate, parseLocalDate } from '../copy/format.js';
import type { FlowContext } from '../context.js';
import { fromFlow, refused, replyWith, type PressContext, type PressOutcome } from '../press/action.js';
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

/** A correction request as typed: outlet, article (title or link), published `dd/mm/yyyy`, grounds; the letter's reference if any. */
export interface CorrectionInput {
  outlet: string;
  article: string;
  published: string;
  grounds: string;
  documentRef?: string | null;
}

const REQUIRED = ['outlet', 'article', 'published', 'grounds'] as const;

/**
 * Records a spokesperson's written request to a press outlet to correct a false report (Decree 244
 * Art. 7(6)), for the actor's own agency (a regular spokesperson or head). Counted in the annual report.
 */
export async function recordCorrection(ctx: PressContext, input: CorrectionInput): Promise<PressOutcome> {
  const orgId = await speakerAgency(ctx, 'correction_request');
  if (orgId === undefined) return refused('forbidden', (t) => t.press.notAllowed);
  const missing = REQUIRED.find((k) => input[k].trim() === '');
  if (missing) return refused('invalid', (t) => t.press.fieldMissing(missing), missing);
  const [outlet, article, published, grounds] = REQUIRED.map((k) => input[k].trim()) as [string, string, string, string];
  const publishedOn = parseLocalDate(published);
  const today = localDate(ctx.now);
  if (!publishedOn || publishedOn > today) return refused('invalid', (t) => t.press.correctionBadDate(truncateText(published, 20)), 'published');
  const code = await insertCorrection(ctx.db, {
    orgId, recordedBy: ctx.actor.person?.id ?? null, outletId: null, outletName: truncateText(outlet, 200), article: truncateText(article, 1000),
    publishedOn, requestedOn: today, grounds: truncateText(grounds, ctx.settings.maxTextChars), documentRef: input.documentRef ?? null, nowIso: ctx.nowIso,
  });
  await ctx.effects.audit('correction.record', 'correction_request', code, null, { org_id: orgId, outlet, published_on: publishedOn, via: ctx.via });
  return { ok: true, code, say: (t) => t.press.correctionRecorded(code, outlet) };
}

/** Records what came of the actor's agency's correction request `code` (an outcome other than `pending`). */
export async function recordCorrectionOutcome(ctx: PressContext, input: { code: string; outcome: string; note?: string }): Promise<PressOutcome> {
  const orgId = await speakerAgency(ctx, 'correction_request');
  if (orgId === undefined) return refused('forbidden', (t) => t.press.notAllowed);
  const { code, outcome } = { code: input.code.trim(), outcome: input.outcome.trim().toLowerCase() };
  const note = input.note?.trim() ?? '';
  if (!(CORRECTION_OUTCOMES as readonly string[]).includes(outcome) || outcome === 'pending') return refused('invalid', (t) => t.press.correctionOutcomeUsage, 'outcome');
  const request = code === '' ? undefined : await findCorrection(ctx.db, code);
  if (!request || request.org_id !== orgId) return refused('not_found', (t) => t.press.correctionNotFound(truncateText(code, 20)), 'code');
  await setCorrectionOutcome(ctx.db, request.id, outcome as CorrectionOutcome, note === '' ? null : truncateText(note, 1000), localDate(ctx.now), ctx.nowIso);
  const shown = request.code ?? code;
  await ctx.effects.audit('correction.outcome', 'correction_request', shown, { outcome: request.outcome }, { outcome, via: ctx.via });
  return { ok: true, code: shown, say: (t) => t.press.correctionOutcomeSaved(shown, outcome) };
}

/**
 * `/correction outlet | article | dd/mm/yyyy | grounds` records a correction request
 * ({@link recordCorrection}); `/correction CC-n outcome [note]` its outcome.
 */
export async function onCorrectionCommand(ctx: FlowContext, e: CommandEvent): Promise<void> {
  const press = fromFlow(ctx);
  const outcome = /^(cc-?\d+)\s+(\S+)\s*([\s\S]*)$/i.exec(e.args.trim());
  if (outcome) return replyWith(ctx, await recordCorrectionOutcome(press, { code: outcome[1]!, outcome: outcome[2]!, note: outcome[3]! }));
  const parts = e.args.split('|').map((p) => p.trim());
  if (parts.length !== 4 || parts.some((p) => p === '')) {
    if ((await speakerAgency(press, 'correction_request')) === undefined) return void await ctx.reply((t) => ({ text: t.press.notAllowed }));
    return void await ctx.reply((t) => ({ text: t.press.correctionUsage }));
  }
  const [outlet, article, published, grounds] = parts as [string, string, string, string];
  await replyWith(ctx, await recordCorrection(press, { outlet, article, published, grounds, documentRef: documentRefOf(e) }));
}
