import type { Button } from '../../adapters/types.js';
import type { WebStore } from '../../adapters/web/store.js';
import type { Db } from '../../db/client.js';
import { findTopic } from '../../db/repositories/directory.js';
import { findChatDialog } from '../../db/repositories/identities.js';
import { lastReadEntry, listInbox, markRead, pendingRegistrations, similarCandidates, type InboxFilter, type InboxRow } from '../../db/repositories/inbox.js';
import { latestRefInChat, publicEntries, refMessagesInChat, threadPage } from '../../db/repositories/inbox-thread.js';
import { isFollowing } from '../../db/repositories/followers.js';
import { findInquiry } from '../../db/repositories/inquiries.js';
import { searchWords } from '../../db/repositories/search-text.js';
import { DECLINE_GROUNDS, type DeclineGround, type EntryKind, type Inquiry, type InquiryStatus, type MessageRefKind } from '../../db/schema.js';
import { declineArticle } from '../../flows/answer/decline-basis.js';
import { copyFor } from '../../flows/copy/index.js';
import { A } from '../../flows/buttons.js';
import { parseDialog } from '../../flows/dialog.js';
import { ACTIONS, LIFECYCLE } from '../../flows/lifecycle/table.js';
import { canSpeakFor } from '../../flows/roles.js';
import type { WorkCalendar } from '../time/calendar.js';
import { dueStanding, type DueStanding } from './due.js';
import { maySee, searchScopes, type InboxReader } from './scope.js';
import { duplicatesFor, lookupSimilar, mostSimilar } from '../../flows/inquiry/similar.js';
import { titleOf } from '../../flows/inquiry/title.js';

/** Why a request was refused: the route answers with the status and both languages. */
export class InboxError extends Error {
  constructor(readonly status: 400 | 403 | 404, readonly code: string, readonly vi: string, readonly en: string) { super(code); }
}
const notFound = () => new InboxError(404, 'not_found', 'Không tìm thấy câu hỏi này.', 'This question was not found.');
const forbidden = () => new InboxError(403, 'forbidden', 'Bạn không có quyền xem câu hỏi này.', 'You may not see this question.');
export const badRequest = () => new InboxError(400, 'bad_request', 'Yêu cầu không hợp lệ.', 'The request is not valid.');

/** A list row as the page shows it. */
export interface InboxItem {
  id: number; code: string; title: string; agency: string | null; agencyEn: string | null;
  status: InquiryStatus; due: DueStanding; unread: number; receivedAt: string;
}

const AT_AGENCY: InquiryStatus[] = ['assigned', 'acknowledged', 'clarifying'];
const OPEN: InquiryStatus[] = ['screening', ...AT_AGENCY];
/** Audit events shown in a thread: the actions that write no entry of their own (the others show as their entry). */
const THREAD_AUDITS = [...new Set(ACTIONS.filter((a) => LIFECYCLE[a].entry === null).map((a) => LIFECYCLE[a].audit))];
/** What a reply in a thread is, by who replies: the message of the chat it answers. */
const REPLY_KINDS: Record<'reporter' | 'staff', MessageRefKind[]> = {
  reporter: ['answer', 'clarification'],
  staff: ['staff_notice', 'followup_notice'],
};
const PAGE = 30;
/**
 * What a follower of another reporter's question may read: what they are sent (its answers, their
 * corrections, a decline; flows/answer/followers.ts), never the reporter's clarifications,
 * follow-ups or the agency's internal steps.
 */
const PUBLIC_KINDS: EntryKind[] = ['answer', 'answer_correction', 'decline'];

/** What the inbox routes need. */
export interface InboxDeps {
  db: Db;
  store: WebStore;
  loadCalendar(): Promise<WorkCalendar>;
  now(): Date;
}

/** The inbox's answers, each for one reader (already resolved and scoped). */
export function createInboxData(d: InboxDeps) {
  const items = async (rows: InboxRow[]): Promise<InboxItem[]> => {
    const cal = await d.loadCalendar();
    const now = d.now();
    return rows.map((r) => ({
      id: r.id, code: r.code, title: titleOf(r.question), agency: r.agency, agencyEn: r.agencyEn, status: r.status,
      due: dueStanding(r.status, r.dueAt, now, cal), unread: r.unread, receivedAt: r.receivedAt,
    }));
  };
  const list = async (r: InboxReader, filter: InboxFilter, order: 'due' | 'recent', limit = 100) => items(await listInbox(d.db, r.personId, filter, order, limit));
  /** Inquiries `ids` as rows, in that order. */
  const rowsOf = async (personId: number, ids: readonly number[]): Promise<InboxRow[]> => {
    if (ids.length === 0) return [];
    const byId = new Map((await listInbox(d.db, personId, { ids: [...ids] }, 'recent', ids.length)).map((x) => [x.id, x]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  };
  /**
   * A screened inquiry's likely duplicates for coordinator `r`: those of its screening notice
   * (`lookupSimilar`: the same topic; `duplicatesFor`: in the coordinator's scope), as list rows.
   */
  const duplicatesOf = async (inquiry: Inquiry, r: InboxReader): Promise<InboxItem[]> => {
    if (inquiry.topic_id === null) return [];
    const found = await duplicatesFor(d.db, r, (await lookupSimilar(d.db, inquiry.reporter_person_id, inquiry.question, inquiry.topic_id, inquiry.id)).duplicates);
    return items(await rowsOf(r.personId, found.map((f) => f.id)));
  };
  return {
    /** Each of the reader's lists: by role. */
    async inbox(r: InboxReader) {
      const sections: Array<{ name: string; items: InboxItem[] }> = [];
      if (r.speaks) sections.push({ name: 'queue', items: await list(r, { ...r.speaks, statuses: AT_AGENCY }, 'due') });
      if (r.coordinates !== undefined) {
        const scope: InboxFilter = r.coordinates === null ? {} : { agencyIds: r.coordinates };
        sections.push({ name: 'screening', items: await list(r, { ...scope, statuses: ['screening'] }, 'due') });
        sections.push({ name: 'overdue', items: await list(r, { ...scope, statuses: OPEN, dueBefore: d.now().toISOString() }, 'due') });
      }
      if (r.isReporter) {
        sections.push({ name: 'mine', items: await list(r, { reporterPersonId: r.personId }, 'recent') });
        sections.push({ name: 'following', items: await list(r, { followerPersonId: r.personId, unreadKinds: PUBLIC_KINDS }, 'recent') });
      }
      const registrations = r.coordinates !== undefined ? await pendingRegistrations(d.db, 50) : [];
      return { sections, registrations };
    },

    /** Inquiries in the reader's scopes whose question holds every word of `q`, without diacritics. */
    async search(r: InboxReader, q: string) {
      const words = searchWords(q);
      if (words.length === 0) return { items: [] };
      const found = new Map<number, InboxRow>();
      for (const scope of searchScopes(r)) for (const row of await listInbox(d.db, r.personId, { ...scope, words }, 'recent', 30)) found.set(row.id, row);
      return { items: await items([...found.values()].sort((a, b) => b.id - a.id).slice(0, 30)) };
    },

    /**
     * Open or answered questions like one a reporter has not sent yet, most alike first, each with
     * its topic: `text` as typed (its topic is not known yet: every topic), or, when `text` is
     * empty, the question waiting in the reporter's web chat for its topic (`instead`: following one
     * then ends that dialog, the question unsent — `flows/answer/follow.ts`). Once the topic is
     * chosen, nothing here: the bot's confirmation names that topic's similar questions, with a
     * button to follow one instead (flows/inquiry/ask.ts), as on every channel.
     */
    async similar(r: InboxReader, typed: string) {
      if (!r.isReporter) return { items: [], instead: false };
      const instead = typed.trim() === '';
      const text = instead ? (await waitingQuestion(d.db, r.session.ownerId)) ?? '' : typed;
      if (text.trim().length < 8) return { items: [], instead };
      // The same candidates and score as the bot's confirmation (flows/inquiry/similar.ts), every topic.
      const best = mostSimilar(text, await similarCandidates(d.db, r.personId, { statuses: [...OPEN, 'answered'] }, 200));
      const flags = new Map(best.map((b) => [b.id, b]));
      const rows = await rowsOf(r.personId, best.map((b) => b.id));
      const topics = new Map<number, Awaited<ReturnType<typeof findTopic>>>();
      for (const x of rows) if (x.topicId !== null && !topics.has(x.topicId)) topics.set(x.topicId, await findTopic(d.db, x.topicId));
      // Another reporter's question: its code, title, topic and status only (InboxItem names no reporter).
      const listed = await items(rows);
      return {
        instead,
        items: listed.map((it, k) => {
          const topic = topics.get(rows[k]!.topicId ?? 0);
          return { ...it, topic: topic?.name ?? null, topicEn: topic?.name_en ?? null, mine: flags.get(it.id)!.mine, following: flags.get(it.id)!.following };
        }),
      };
    },

    /**
     * Another reporter's question as its follower `r` may read it: the question, its status and
     * due standing, its official answers (signed with their author's name and position) — never
     * who asked, their clarifications or follow-ups, or internal events. Only for a reporter who
     * follows it; opening it marks it read.
     */
    async followed(r: InboxReader, id: number) {
      const inquiry = await findInquiry(d.db, id);
      if (!inquiry) throw notFound();
      if (!r.isReporter || !(await isFollowing(d.db, r.personId, id))) throw forbidden();
      const [row] = await list(r, { ids: [id], unreadKinds: PUBLIC_KINDS }, 'recent', 1);
      await markRead(d.db, r.personId, id, d.now().toISOString());
      const topic = inquiry.topic_id === null ? undefined : await findTopic(d.db, inquiry.topic_id);
      return {
        inquiry: { ...row!, unread: 0, question: inquiry.question, topic: topic?.name ?? null, topicEn: topic?.name_en ?? null, mine: false, role: 'follower' },
        items: worded(await publicEntries(d.db, id, PUBLIC_KINDS, 50), inquiry, r.locale),
      };
    },

    /** One inquiry's thread: a page of its history (newest first page unless `before`), its reply target and buttons. */
    async thread(r: InboxReader, id: number, before?: string) {
      const inquiry = await findInquiry(d.db, id);
      if (!inquiry) throw notFound();
      if (!(await maySee(d.db, r, inquiry))) throw forbidden();
      const found = await threadPage(d.db, id, THREAD_AUDITS, PAGE, before);
      const page = { ...found, items: worded(found.items, inquiry, r.locale) };
      if (before !== undefined) return { items: page.items, before: page.before };
      const lastRead = await lastReadEntry(d.db, r.personId, id);
      await markRead(d.db, r.personId, id, d.now().toISOString());
      const [row] = await list(r, { ids: [id] }, 'recent', 1);
      const topic = inquiry.topic_id === null ? undefined : await findTopic(d.db, inquiry.topic_id);
      // Who the reader is in this thread decides what a reply is; a coordinator only screens (buttons).
      const role = inquiry.reporter_person_id === r.personId ? 'reporter' : r.speaks && (await canSpeakFor(d.db, r, inquiry)) ? 'staff' : 'coordinator';
      const reply = role === 'coordinator' ? undefined : await latestRefInChat(d.db, r.session.ownerId, id, REPLY_KINDS[role]);
      const duplicates = inquiry.status === 'screening' && r.coordinates !== undefined ? await duplicatesOf(inquiry, r) : [];
      return {
        inquiry: { ...row!, question: inquiry.question, topic: topic?.name ?? null, topicEn: topic?.name_en ?? null, mine: role === 'reporter', role },
        items: page.items, before: page.before, lastRead,
        // Where the unread marker goes: the first entry by someone else after the last one read.
        firstUnread: page.items.find((it) => it.entryId !== undefined && it.entryId > lastRead && it.byPersonId !== r.personId)?.key ?? null, reply: reply ?? null, buttons: await buttonsOf(d.store, r.session.ownerId, await refMessagesInChat(d.db, r.session.ownerId, id, 10)), duplicates,
      };
    },
  };
}

/** Thread items as the reader reads them: a decline with its ground's name and article (see {@link declineText}). */
function worded<T extends { kind: string; text: string }>(items: readonly T[], inquiry: Inquiry, locale: string | null): T[] {
  return items.map((e) => (e.kind === 'decline' ? { ...e, text: declineText(e.text, inquiry, locale) } : e));
}

/**
 * A decline entry (`<ground>: <reason>`, as `submitDecline` records it) in the reader's language,
 * with its ground's name and legal article, as the followers are sent it; other text as stored.
 */
function declineText(text: string, inquiry: Inquiry, locale: string | null): string {
  const cut = text.indexOf(': ');
  const ground = text.slice(0, cut) as DeclineGround;
  if (cut < 0 || !DECLINE_GROUNDS.includes(ground)) return text;
  const t = copyFor(locale);
  return t.answer.declineBasis(t.groundLabel(ground), declineArticle(inquiry, ground, t.locale), text.slice(cut + 2));
}

/** The question web chat `ownerId` has sent to the bot, which asks its topic; undefined otherwise. */
async function waitingQuestion(db: Db, ownerId: string): Promise<string | undefined> {
  const dialog = parseDialog((await findChatDialog(db, 'web', ownerId)) ?? null);
  return dialog?.step === 'ask_topic' ? dialog.question : undefined;
}

/**
 * The buttons the bot's messages about this inquiry carry in the reader's chat (newest message
 * first, each button once). An answer preview waiting to be confirmed also gives its text
 * (`preview`), so the thread shows what [Gửi câu trả lời] would send, and edits it in place.
 */
async function buttonsOf(store: WebStore, chatId: string, messageIds: readonly string[]): Promise<Array<{ messageId: string; buttons: Button[]; preview?: string }>> {
  const seen = new Set<string>();
  const out: Array<{ messageId: string; buttons: Button[]; preview?: string }> = [];
  for (const messageId of messageIds) {
    const entry = await store.findMessage(chatId, messageId);
    const buttons = (entry?.buttons ?? []).flat();
    // A settled message (a choice made, a preview sent or dropped) offers nothing any more.
    if (buttons.some((b) => b.state !== undefined)) continue;
    const fresh = buttons.filter((b) => !seen.has(`${b.action}\0${b.payload}`));
    for (const b of fresh) seen.add(`${b.action}\0${b.payload}`);
    if (fresh.length > 0) out.push({ messageId, buttons: fresh, ...(fresh.some((b) => b.action === A.answerSend) ? { preview: entry!.text } : {}) });
  }
  return out;
}
