import type { HttpBodyResponse, HttpRequest } from '../../adapters/types.js';
import { UPLOAD_REF } from '../../adapters/web/file-routes.js';
import { CSRF_HEADER, isCrossOrigin, json, parseJsonBody, refuse, tokensMatch } from '../../adapters/web/http.js';
import type { Db } from '../../db/client.js';
import { findUploadsBySourcePrefix } from '../../db/repositories/attachments.js';
import { findPerson, rolesOf } from '../../db/repositories/directory.js';
import { findIdentityOf } from '../../db/repositories/identities.js';
import type { FlowSettings } from '../../flows/context.js';
import { recordCorrection, recordCorrectionOutcome, type Letter } from '../../flows/corrections/correction.js';
import { copyFor } from '../../flows/copy/index.js';
import { localDate } from '../../flows/copy/format.js';
import { createEffects } from '../../flows/effects.js';
import type { FlowOutcome } from '../../flows/handle.js';
import { refused, type PressContext, type PressOutcome, type PressRefusal } from '../../flows/press/action.js';
import { markHeld, scheduleConference } from '../../flows/press/conference.js';
import { recordStatement } from '../../flows/press/statement.js';
import { uploadPrefix } from '../files/web-files.js';
import type { Reader } from './auth.js';

/**
 * The dashboard's forms (issue #15): press conferences, correction requests and own-initiative
 * statements recorded from the page. Each posts JSON to `…/dashboard/<action>` and runs the very
 * function the chat command runs (`flows/press/`, `flows/corrections/`): the same role and scope
 * checks, validation and audit, in one transaction; only the wording of dates differs (the form's
 * `YYYY-MM-DD[THH:mm]` is read as the chat's `dd/mm/yyyy HH:mm`).
 */
export interface DashboardActionDeps {
  db: Db;
  now(): Date;
  /** The flows' settings (text limits, default language, the deadline policy for converted questions). */
  settings: FlowSettings;
  /** The public URL's origin and the trusted-host policy, for the same-origin check on every POST. */
  allowedOrigins: readonly string[];
  allowedHost?: (host: string | undefined) => boolean;
  /** After the commit: queue outbox rows, re-plan deadline jobs, start notices (each also repaired by its reconciliation). */
  afterCommit?(outcome: FlowOutcome): Promise<void>;
}

type Fields = Record<string, string>;
type Action = (ctx: PressContext, f: Fields, reader: Reader) => Promise<PressOutcome>;

/** `2026-12-03T09:00` → `03/12/2026 09:00`, `2026-11-30` → `30/11/2026`; anything else as typed. */
export function fromFormDate(value: string): string {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?\s*$/.exec(value);
  if (!m) return value;
  return `${m[3]}/${m[2]}/${m[1]}${m[4] ? ` ${m[4]}:${m[5]}` : ''}`;
}

/** The actions by route name. */
export const DASHBOARD_ACTIONS: Record<string, Action> = {
  conference: (ctx, f) => scheduleConference(ctx, { startsAt: fromFormDate(f.startsAt ?? ''), place: f.place ?? '', host: f.host ?? '', agencies: f.agencies ?? '', title: f.title ?? '' }),
  'conference-held': (ctx, f) => markHeld(ctx, { code: f.code ?? '', answered: f.answered ?? '' }),
  correction: async (ctx, f, reader) => {
    const letter = f.letter ? await uploadedLetter(ctx, reader, f.letter) : null;
    if (letter === undefined) return refused('invalid', (t) => t.press.letterInvalid, 'letter');
    return recordCorrection(ctx, { outlet: f.outlet ?? '', article: f.article ?? '', published: fromFormDate(f.published ?? ''), grounds: f.grounds ?? '', letter });
  },
  'correction-outcome': async (ctx, f, reader) => {
    const letter = f.letter ? await uploadedLetter(ctx, reader, f.letter) : null;
    if (letter === undefined) return refused('invalid', (t) => t.press.letterInvalid, 'letter');
    return recordCorrectionOutcome(ctx, { code: f.code ?? '', outcome: f.outcome ?? '', note: f.note ?? '', letter });
  },
  statement: (ctx, f) => recordStatement(ctx, { eventAt: fromFormDate(f.eventAt ?? ''), title: f.title ?? '', link: f.link ?? '' }),
};

/**
 * The letter the page uploaded first (`POST <api>/files`, checked and stored like any file) and
 * names as `upload:<id>`: only the reader's own stored upload; undefined otherwise.
 */
async function uploadedLetter(ctx: PressContext, reader: Reader, ref: string): Promise<Letter | undefined> {
  const m = UPLOAD_REF.exec(ref.trim());
  const [file] = m ? await findUploadsBySourcePrefix(ctx.db, uploadPrefix(reader.ownerId), [Number(m[1])]) : [];
  return file ? { attachmentId: file.id, name: file.name } : undefined;
}

const STATUS: Record<PressRefusal, number> = { forbidden: 403, invalid: 400, not_found: 404, conflict: 409 };
/** Longest field a form may send, in characters (the flows truncate further). */
const MAX_FIELD_CHARS = 8000;

/**
 * Runs one action for a signed-in reader: same-origin and the session's CSRF token (as every POST
 * of the web API), a JSON object of string fields, then the flow in one transaction.
 */
export async function runDashboardAction(d: DashboardActionDeps, name: string, reader: Reader, req: HttpRequest): Promise<HttpBodyResponse> {
  if (isCrossOrigin(req, d.allowedOrigins, d.allowedHost)) return refuse('cross_origin');
  if (!tokensMatch(req.headers[CSRF_HEADER], reader.csrfToken)) return refuse('csrf');
  const parsed = parseJsonBody(req);
  if ('refusal' in parsed) return parsed.refusal;
  const fields: Fields = {};
  for (const [k, v] of Object.entries(parsed.body)) {
    if (typeof v !== 'string' || v.length > MAX_FIELD_CHARS) return refuse('bad_request');
    fields[k] = v;
  }
  const action = DASHBOARD_ACTIONS[name]!;
  const now = d.now();
  const { outcome, handed } = await d.db.transaction().execute(async (tx) => {
    const today = localDate(now);
    const person = await findPerson(tx, reader.personId);
    const identity = await findIdentityOf(tx, 'web', reader.ownerId);
    if (!person || !identity) throw new Error('the reader\'s person or web identity is gone');
    const roles = await rolesOf(tx, person.id, today);
    const effects = createEffects(tx, now.toISOString(), d.settings.defaultLocale, { personId: person.id, identityId: identity.id });
    const t = copyFor(person.locale ?? identity.locale ?? d.settings.defaultLocale, d.settings.defaultLocale);
    const ctx: PressContext = { db: tx, now, nowIso: now.toISOString(), today, settings: d.settings, actor: { identity, person, roles, t }, effects, via: 'dashboard' };
    const result = await action(ctx, fields, reader);
    return { outcome: result, handed: { outboxIds: effects.outboxIds, deadlineIds: effects.deadlineIds, noticeIds: effects.noticeIds } };
  });
  await d.afterCommit?.(handed);
  const [vi, en] = [outcome.say(copyFor('vi')), outcome.say(copyFor('en'))];
  if (outcome.ok) return json(200, { ok: true, code: outcome.code, message_vi: vi, message_en: en });
  return json(STATUS[outcome.refusal], { error: outcome.refusal, message_vi: vi, message_en: en, ...(outcome.field ? { field: outcome.field } : {}) });
}
