import { truncateText, type InboundEvent } from '../../adapters/types.js';
import { findCorrection, insertCorrection, setCorrectionLetter, setCorrectionOutcome } from '../../db/repositories/press-records.js';
import { CORRECTION_OUTCOMES, type CorrectionOutcome } from '../../db/schema-stats.js';
import { localDate, parseLocalDate } from '../copy/format.js';
import type { FlowContext } from '../context.js';
import { storedFiles } from '../files.js';
import { fromFlow, refused, replyWith, type PressContext, type PressOutcome } from '../press/action.js';
import { speakerAgency } from '../press/speaker.js';

/** A correction request's official letter: a file in the blob store (`attachments`), and its name. */
export interface Letter {
  attachmentId: number;
  name: string;
}

/** How `correction_requests.document_ref` names a letter: `attachment:<attachments.id>`. */
export const letterRef = (attachmentId: number): string => `attachment:${attachmentId}`;

/**
 * The official letter sent with a `/correction` message: the first file of the message that was
 * stored (a Telegram document or photo whose caption is the command, a file on personal Zalo or
 * the Zalo OA with the command as its caption). Refused files are told to the sender as any file.
 */
export function letterOf(event: InboundEvent): Letter | null {
  if (event.kind !== 'message') return null;
  const file = storedFiles(event)[0];
  return file ? { attachmentId: file.attachmentId, name: file.name } : null;
}

/** A correction request as typed: outlet, article (title or link), published `dd/mm/yyyy`, grounds; the letter's reference if any. */
export interface CorrectionInput {
  outlet: string;
  article: string;
  published: string;
  grounds: string;
  /** The official letter, already stored (the caller checked it is the actor's own file). */
  letter?: Letter | null;
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
    publishedOn, requestedOn: today, grounds: truncateText(grounds, ctx.settings.maxTextChars), documentRef: input.letter ? letterRef(input.letter.attachmentId) : null, nowIso: ctx.nowIso,
  });
  await ctx.effects.audit('correction.record', 'correction_request', code, null, { org_id: orgId, outlet, published_on: publishedOn, letter: input.letter?.attachmentId ?? null, via: ctx.via });
  const letter = input.letter?.name;
  return { ok: true, code, say: (t) => `${t.press.correctionRecorded(code, outlet)}${letter ? `\n${t.press.correctionLetter(letter)}` : ''}` };
}

/**
 * Records what came of the actor's agency's correction request `code` (an outcome other than
 * `pending`) and/or attaches its official letter (`letter`, replacing an earlier one: the audit
 * keeps which). An empty `outcome` with a letter attaches the letter alone.
 */
export async function recordCorrectionOutcome(ctx: PressContext, input: { code: string; outcome: string; note?: string; letter?: Letter | null }): Promise<PressOutcome> {
  const orgId = await speakerAgency(ctx, 'correction_request');
  if (orgId === undefined) return refused('forbidden', (t) => t.press.notAllowed);
  const { code, outcome } = { code: input.code.trim(), outcome: input.outcome.trim().toLowerCase() };
  const note = input.note?.trim() ?? '';
  const letter = input.letter ?? null;
  const letterOnly = outcome === '' && letter !== null;
  if (!letterOnly && (!(CORRECTION_OUTCOMES as readonly string[]).includes(outcome) || outcome === 'pending')) return refused('invalid', (t) => t.press.correctionOutcomeUsage, 'outcome');
  const request = code === '' ? undefined : await findCorrection(ctx.db, code);
  if (!request || request.org_id !== orgId) return refused('not_found', (t) => t.press.correctionNotFound(truncateText(code, 20)), 'code');
  const shown = request.code ?? code;
  if (letter) {
    await setCorrectionLetter(ctx.db, request.id, letterRef(letter.attachmentId), ctx.nowIso);
    await ctx.effects.audit('correction.letter', 'correction_request', shown, { letter: request.document_ref }, { letter: letter.attachmentId, via: ctx.via });
  }
  if (letterOnly) return { ok: true, code: shown, say: (t) => t.press.correctionLetterAttached(shown, letter.name) };
  await setCorrectionOutcome(ctx.db, request.id, outcome as CorrectionOutcome, note === '' ? null : truncateText(note, 1000), localDate(ctx.now), ctx.nowIso);
  await ctx.effects.audit('correction.outcome', 'correction_request', shown, { outcome: request.outcome }, { outcome, via: ctx.via });
  return { ok: true, code: shown, say: (t) => `${t.press.correctionOutcomeSaved(shown, outcome)}${letter ? `\n${t.press.correctionLetter(letter.name)}` : ''}` };
}

/**
 * `/correction outlet | article | dd/mm/yyyy | grounds` records a correction request
 * ({@link recordCorrection}) with the message's `letter` if a file came with it; `/correction CC-n
 * outcome [note]` its outcome (with the letter if a file came with it); `/correction CC-n` with a
 * file attaches the letter alone.
 */
export async function onCorrectionCommand(ctx: FlowContext, args: string, letter: Letter | null): Promise<void> {
  const press = fromFlow(ctx);
  const outcome = /^(cc-?\d+)(?:\s+(\S+)\s*([\s\S]*))?$/i.exec(args.trim());
  if (outcome) return replyWith(ctx, await recordCorrectionOutcome(press, { code: outcome[1]!, outcome: outcome[2] ?? '', note: outcome[3] ?? '', letter }));
  const parts = args.split('|').map((p) => p.trim());
  if (parts.length !== 4 || parts.some((p) => p === '')) {
    if ((await speakerAgency(press, 'correction_request')) === undefined) return void await ctx.reply((t) => ({ text: t.press.notAllowed }));
    return void await ctx.reply((t) => ({ text: t.press.correctionUsage }));
  }
  const [outlet, article, published, grounds] = parts as [string, string, string, string];
  await replyWith(ctx, await recordCorrection(press, { outlet, article, published, grounds, letter }));
}

/** A caption that is a `/correction` command (a file sent with it is the request's letter): its arguments. */
export function correctionCaption(text: string): string | undefined {
  const m = /^\/correction(?:@\w+)?(?:\s+([\s\S]*))?$/i.exec(text.trim());
  return m ? (m[1] ?? '') : undefined;
}
