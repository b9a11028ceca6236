import { truncateText, type CommandEvent } from '../../adapters/types.js';
import { findOrg, personIdsWithRole } from '../../db/repositories/directory.js';
import { findIdentity } from '../../db/repositories/identities.js';
import { addEntry, addMessageRef, createInquiry } from '../../db/repositories/inquiries.js';
import {
  conferenceAgencies, findConference, insertConference, insertConferenceQuestion, listConferenceQuestions, markConferenceHeld,
  registerForConference, setConferenceNotice, settleConferenceQuestion, type ConferenceRow,
} from '../../db/repositories/press-records.js';
import { listOrgEntries, type OrgEntry } from '../../db/repositories/stats-figures.js';
import { parseLocalDateTime } from '../copy/format.js';
import type { FlowContext } from '../context.js';
import { fromFlow, refused, replyWith, type PressContext, type PressOutcome } from './action.js';
import { assignDeadline } from '../inquiry/deadline.js';
import { notifyAgency } from '../inquiry/route.js';
import { orgName } from '../inquiry/view.js';
import { saveDraft } from '../notices/draft.js';
import { confirmDraft } from '../../db/repositories/notices-write.js';
import { subtree } from '../stats/scope.js';

/**
 * Press conferences (issue #15; Decree 244 Art. 6: ministries and provinces at least once every
 * three months). A coordinator schedules one (`/conference`), the notices engine announces it to
 * every accredited reporter, reporters register (`/register HB-n`) and send questions in advance
 * (`/confq HB-n AGENCY question`, routed to that presenting agency); after it, the coordinator
 * marks it held (`/conference held HB-n 1,3`), and the questions not answered on the day become
 * ordinary inquiries whose legal deadlines count from the conference.
 */

/** The organisations a coordinator acts for: null for an unscoped one; undefined when not a coordinator. */
function coordinatorScope(ctx: PressContext, orgs: readonly OrgEntry[]): Set<number> | null | undefined {
  const mine = ctx.actor.roles.filter((r) => r.role === 'coordinator' && r.status === 'active');
  if (mine.length === 0) return undefined;
  if (mine.some((r) => r.org_id === null)) return null;
  return subtree(orgs, mine.map((r) => r.org_id!));
}

async function refuse(ctx: PressContext, what: string): Promise<PressOutcome> {
  await ctx.effects.audit('access.denied', 'press_conference', what, null, { event: ctx.via });
  return refused('forbidden', (t) => t.press.notAllowed);
}

/** `/conference …`: schedule (five fields separated by `|`), `held HB-n [1,2]`, or `HB-n` (its questions). */
export async function onConferenceCommand(ctx: FlowContext, e: CommandEvent): Promise<void> {
  const press = fromFlow(ctx);
  const args = e.args.trim();
  const held = /^(held|đã họp|da hop)\s+(\S+)\s*([\d,\s]*)$/i.exec(args);
  if (held) return replyWith(ctx, await markHeld(press, { code: held[2]!, answered: held[3] ?? '' }));
  if (/^hb-?\d+$/i.test(args)) return showQuestions(ctx, press, args);
  const parts = args.split('|').map((p) => p.trim());
  if (parts.length !== 5 || parts.some((p) => p === '')) {
    if (coordinatorScope(press, await listOrgEntries(ctx.db)) === undefined) return replyWith(ctx, await refuse(press, 'command'));
    return void await ctx.reply((t) => ({ text: t.press.conferenceUsage }));
  }
  const [startsAt, place, host, agencies, title] = parts as [string, string, string, string, string];
  await replyWith(ctx, await scheduleConference(press, { startsAt, place, host, agencies, title }));
}

/** A conference as typed: start `dd/mm/yyyy HH:mm` (Vietnam), place or link, the host's code, the presenting agencies' codes (comma or space separated), title. */
export interface ConferenceInput {
  startsAt: string;
  place: string;
  host: string;
  agencies: string;
  title: string;
}

const CONFERENCE_FIELDS = ['startsAt', 'place', 'host', 'agencies', 'title'] as const;

/**
 * Schedules a conference (a coordinator, with every organisation named within their scope) and
 * announces it through the notices engine to every accredited reporter.
 */
export async function scheduleConference(ctx: PressContext, input: ConferenceInput): Promise<PressOutcome> {
  const orgs = await listOrgEntries(ctx.db);
  const scope = coordinatorScope(ctx, orgs);
  if (scope === undefined) return refuse(ctx, 'command');
  const missing = CONFERENCE_FIELDS.find((k) => input[k].trim() === '');
  if (missing) return refused('invalid', (t) => t.press.fieldMissing(missing), missing);
  const [when, place, hostCode, agencyCodes, title] = CONFERENCE_FIELDS.map((k) => input[k].trim()) as [string, string, string, string, string];
  const at = parseLocalDateTime(when);
  if (!at || at.getTime() <= ctx.now.getTime()) return refused('invalid', (t) => t.press.conferenceBadTime(truncateText(when, 40)), 'startsAt');
  const byCode = new Map(orgs.map((o) => [o.code.toUpperCase(), o]));
  const codes = [hostCode, ...agencyCodes.split(/[\s,]+/).filter(Boolean)].map((c) => c.toUpperCase());
  const field = (c: string) => (c === codes[0] && c === hostCode.toUpperCase() ? 'host' : 'agencies');
  const unknown = codes.find((c) => !byCode.has(c));
  if (unknown) return refused('invalid', (t) => t.press.conferenceUnknownOrg(truncateText(unknown, 40)), field(unknown));
  const outside = scope ? codes.find((c) => !scope.has(byCode.get(c)!.id)) : undefined;
  if (outside) return refused('forbidden', (t) => t.press.conferenceOutOfScope(outside), field(outside));
  const host = byCode.get(codes[0]!)!;
  const agencies = codes.slice(1).map((c) => byCode.get(c)!);
  if (agencies.length === 0) return refused('invalid', (t) => t.press.fieldMissing('agencies'), 'agencies');
  const conference = await insertConference(ctx.db, {
    title, startsAt: at.toISOString(), place, topics: title, hostOrgId: host.id, agencyIds: agencies.map((a) => a.id), createdBy: ctx.actor.person?.id ?? null, nowIso: ctx.nowIso,
  });
  const content = ctx.actor.t.press.conferenceAnnouncement({ code: conference.code!, title, at, place, topics: title, agencies: agencies.map((a) => `${a.name} (${a.code})`).join(', ') });
  const draft = await saveDraft(ctx.db, { ...content, link: /^https?:\/\//i.test(place) ? place : null }, { all: true, role: 'reporter' }, { scope: null, today: ctx.today, nowIso: ctx.nowIso, createdBy: ctx.actor.person?.id ?? null });
  let recipients = 0;
  if ('id' in draft) {
    await confirmDraft(ctx.db, draft.id, ctx.nowIso, null);
    await setConferenceNotice(ctx.db, conference.id, draft.id, ctx.nowIso);
    ctx.effects.startNotice(draft.id);
    recipients = draft.perChannel.reduce((s, c) => s + c.n, 0);
  }
  await ctx.effects.audit('conference.schedule', 'press_conference', conference.id, null, { code: conference.code, starts_at: conference.starts_at, host: host.code, agencies: agencies.map((a) => a.code), notice_id: 'id' in draft ? draft.id : null, via: ctx.via });
  const code = conference.code!;
  return { ok: true, code, say: (t) => t.press.conferenceScheduled({ code, title, at, place, recipients }) };
}

async function loadInScope(ctx: PressContext, scope: Set<number> | null, code: string): Promise<ConferenceRow | PressOutcome> {
  const conference = await findConference(ctx.db, code);
  if (!conference) return refused('not_found', (t) => t.press.conferenceNotFound(truncateText(code, 20)), 'code');
  if (scope && !scope.has(conference.host_org_id)) return refuse(ctx, conference.code ?? code);
  return conference;
}

async function showQuestions(ctx: FlowContext, press: PressContext, code: string): Promise<void> {
  const scope = coordinatorScope(press, await listOrgEntries(ctx.db));
  if (scope === undefined) return replyWith(ctx, await refuse(press, 'command'));
  const conference = await loadInScope(press, scope, code);
  if ('ok' in conference) return replyWith(ctx, conference);
  const questions = await listConferenceQuestions(ctx.db, conference.id);
  const lines = questions.map((q, i) => `${i + 1}. [${q.status}] ${truncateText(q.question, 200)}`);
  await ctx.reply(() => ({ text: [`${conference.code}: ${conference.title}`, ...lines].join('\n') }));
}

/**
 * Marks a conference held (a coordinator whose scope holds its host; after its start): the
 * questions numbered in `answered` (1-based, comma or space separated) were answered there; every
 * other pending one becomes an ordinary inquiry received at the conference's start.
 */
export async function markHeld(ctx: PressContext, input: { code: string; answered: string }): Promise<PressOutcome> {
  const scope = coordinatorScope(ctx, await listOrgEntries(ctx.db));
  if (scope === undefined) return refuse(ctx, 'command');
  const conference = await loadInScope(ctx, scope, input.code.trim());
  if ('ok' in conference) return conference;
  const code = conference.code!;
  if (!/^[\d,\s]*$/.test(input.answered)) return refused('invalid', (t) => t.press.heldUsage, 'answered');
  if (conference.status !== 'scheduled') return refused('conflict', (t) => t.press.heldAlready(code));
  if (Date.parse(conference.starts_at) > ctx.now.getTime()) return refused('conflict', (t) => t.press.heldTooEarly(code, conference.starts_at));
  if (!(await markConferenceHeld(ctx.db, conference.id, ctx.actor.person?.id ?? null, ctx.nowIso))) return refused('conflict', (t) => t.press.heldAlready(code));
  const answered = new Set(input.answered.split(/[\s,]+/).filter(Boolean).map(Number));
  const questions = await listConferenceQuestions(ctx.db, conference.id);
  const converted: string[] = [];
  let answeredCount = 0;
  for (const [i, q] of questions.entries()) {
    if (q.status !== 'pending') continue;
    if (answered.has(i + 1)) {
      if (await settleConferenceQuestion(ctx.db, q.id, 'answered', null, ctx.nowIso)) answeredCount += 1;
      continue;
    }
    const inquiryCode = await convertQuestion(ctx, conference, q);
    if (inquiryCode) converted.push(inquiryCode);
  }
  await ctx.effects.audit('conference.held', 'press_conference', conference.id, { status: 'scheduled' }, { status: 'held', answered: answeredCount, converted, via: ctx.via });
  return { ok: true, code, say: (t) => t.press.heldDone({ code, answered: answeredCount, converted }) };
}

type QuestionRow = Awaited<ReturnType<typeof listConferenceQuestions>>[number];

/** A question not answered on the day becomes an inquiry received at the conference's start, with its legal deadline. */
async function convertQuestion(ctx: PressContext, conference: ConferenceRow, q: QuestionRow): Promise<string | undefined> {
  const identity = await findIdentity(ctx.db, q.identity_id);
  if (!identity) return undefined;
  const created = await createInquiry(ctx.db, {
    reporterPersonId: q.person_id, reporterIdentityId: identity.id, originChatId: identity.chat_id, originMessageId: q.message_id,
    topicId: null, orgId: q.org_id, suggestedOrgId: q.org_id, status: 'assigned', question: q.question, receivedAt: conference.starts_at,
  });
  const inquiry = await assignDeadline(ctx, created, 'routine', q.org_id);
  await addMessageRef(ctx.db, { platform: identity.platform, chatId: identity.chat_id, messageId: q.message_id, inquiryId: inquiry.id, kind: 'question', personId: q.person_id, nowIso: ctx.nowIso });
  await addEntry(ctx.db, inquiry.id, 'question', q.person_id, q.question, ctx.nowIso);
  await settleConferenceQuestion(ctx.db, q.id, 'converted', inquiry.id, ctx.nowIso);
  await ctx.effects.audit('inquiry.create', 'inquiry', inquiry.id, null, { status: inquiry.status, conference: conference.code, class: inquiry.deadline_class, due_at: inquiry.due_at });
  const org = await findOrg(ctx.db, q.org_id);
  await ctx.effects.sendTo(identity, (t) => ({ text: t.press.convertedToReporter({ conference: conference.code!, inquiry: inquiry.code ?? '', agency: orgName(org, t), dueAt: inquiry.due_at }), replyTo: q.message_id }));
  await notifyAgency(ctx.db, ctx.effects, inquiry, ctx.today);
  return inquiry.code ?? undefined;
}

/** The active reporter behind the event, or a polite refusal. */
async function reporter(ctx: FlowContext): Promise<number | undefined> {
  const person = ctx.actor.person;
  if (person && ctx.actor.roles.some((r) => r.role === 'reporter' && r.status === 'active')) return person.id;
  await replyWith(ctx, await refuse(fromFlow(ctx), 'reporter'));
  return undefined;
}

/** `/register HB-n`: an accredited reporter registers to attend. */
export async function onRegisterCommand(ctx: FlowContext, e: CommandEvent): Promise<void> {
  const personId = await reporter(ctx);
  if (personId === undefined) return;
  const conference = await findConference(ctx.db, e.args.trim());
  if (!conference) return void await ctx.reply((t) => ({ text: t.press.conferenceNotFound(truncateText(e.args.trim(), 20)) }));
  if (conference.status !== 'scheduled') return void await ctx.reply((t) => ({ text: t.press.conferenceNotOpen(conference.code!) }));
  if (!(await registerForConference(ctx.db, conference.id, personId, ctx.nowIso))) return void await ctx.reply((t) => ({ text: t.press.alreadyRegistered(conference.code!) }));
  await ctx.effects.audit('conference.register', 'press_conference', conference.id);
  await ctx.reply((t) => ({ text: t.press.registered(conference.code!, conference.title, conference.starts_at) }));
}

/** `/confq HB-n AGENCY question`: a question in advance, routed to a presenting agency's spokespersons. */
export async function onConferenceQuestion(ctx: FlowContext, e: CommandEvent): Promise<void> {
  const personId = await reporter(ctx);
  if (personId === undefined) return;
  const m = /^(\S+)\s+(\S+)\s+([\s\S]+)$/.exec(e.args.trim());
  if (!m) return void await ctx.reply((t) => ({ text: t.press.questionUsage }));
  const conference = await findConference(ctx.db, m[1]!);
  if (!conference) return void await ctx.reply((t) => ({ text: t.press.conferenceNotFound(truncateText(m[1]!, 20)) }));
  if (conference.status !== 'scheduled' || Date.parse(conference.starts_at) <= ctx.now.getTime()) return void await ctx.reply((t) => ({ text: t.press.conferenceNotOpen(conference.code!) }));
  const question = m[3]!.trim();
  if (question.length > ctx.settings.maxTextChars) return void await ctx.reply((t) => ({ text: t.textTooLong(ctx.settings.maxTextChars) }));
  const presenting = await Promise.all((await conferenceAgencies(ctx.db, conference.id)).map((id) => findOrg(ctx.db, id)));
  const agency = presenting.find((o) => o?.code.toUpperCase() === m[2]!.toUpperCase());
  if (!agency) return void await ctx.reply((t) => ({ text: t.press.questionNotPresenting(conference.code!, presenting.map((o) => o?.code ?? '').join(', ')) }));
  await insertConferenceQuestion(ctx.db, { conferenceId: conference.id, personId, identityId: ctx.actor.identity.id, orgId: agency.id, question, messageId: e.messageId, nowIso: ctx.nowIso });
  await ctx.effects.audit('conference.question', 'press_conference', conference.id, null, { org: agency.code });
  const outlet = ctx.actor.person?.outlet_name ?? '';
  for (const s of await personIdsWithRole(ctx.db, 'spokesperson', [agency.id], ctx.today)) {
    if (s.kind === 'authorised') continue;
    await ctx.effects.notifyPerson(s.personId, (t) => ({ text: t.press.questionToAgency({ code: conference.code!, title: conference.title, at: conference.starts_at, reporter: ctx.actor.person?.full_name ?? '', outlet, question }) }));
  }
  await ctx.reply((t) => ({ text: t.press.questionStored(conference.code!, orgName(agency, t)) }));
}
