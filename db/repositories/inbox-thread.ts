import type { Db } from '../client.js';
import type { EntryKind, MessageRefKind } from '../schema.js';

/** One item of an inquiry's thread: an entry (question, answer…), an audit event, or a deadline event. */
export interface ThreadItem {
  /** `entry:<id>`, `audit:<id>`, `deadline:<kind>-<step>`: unique within the thread. */
  key: string;
  source: 'entry' | 'audit' | 'deadline';
  /** The entry kind, the audit action, or the deadline event's kind. */
  kind: string;
  /** An entry's text; a deadline event's step (`r50-1`, `esc_head-1`, `od20261207-1`); empty for audit events. */
  text: string;
  /** The author's or actor's name. */
  by: string | null;
  byPersonId: number | null;
  /** ISO-8601 UTC instant. */
  at: string;
  /** The entry id (entries only): unread markers compare it with the last read one. */
  entryId?: number;
  /** Extra fields of an audit event (JSON), e.g. a new due time. */
  detail?: string | null;
}

/** A page of a thread, oldest first, and the cursor of the page before it (undefined: none). */
export interface ThreadPage { items: ThreadItem[]; before: string | undefined }

/** Sorts items in thread order: by time, then entries before events of the same instant, then key. */
const ORDER: Record<ThreadItem['source'], number> = { entry: 0, audit: 1, deadline: 2 };
function compare(a: ThreadItem, b: ThreadItem): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  if (a.source !== b.source) return ORDER[a.source] - ORDER[b.source];
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** The cursor of `item`: the thread's items strictly before it come on the previous page. */
const cursorOf = (item: ThreadItem) => `${item.at}|${ORDER[item.source]}|${item.key}`;
function isBefore(item: ThreadItem, cursor: string): boolean {
  const [at, source, key] = cursor.split('|');
  return compare(item, { at: at!, source: (Object.keys(ORDER) as ThreadItem['source'][])[Number(source)] ?? 'deadline', key: key ?? '', kind: '', text: '', by: null, byPersonId: null }) < 0;
}

/**
 * The newest `limit` items of inquiry `inquiryId`'s thread strictly before `before` (a cursor from
 * an earlier page; none: the newest), oldest first. `auditActions`: the audit events shown (those
 * without an entry of their own: acknowledge, route, extensions, rating…).
 */
export async function threadPage(db: Db, inquiryId: number, auditActions: readonly string[], limit: number, before?: string): Promise<ThreadPage> {
  const atMost = before?.split('|')[0];
  // Each source gives its newest items up to the cursor's instant; ties at that instant are cut in TS.
  const take = limit + 1;
  let entries = db.selectFrom('inquiry_entries as e').leftJoin('persons as p', 'p.id', 'e.author_person_id')
    .select(['e.id', 'e.kind', 'e.text', 'e.created_at', 'e.author_person_id', 'p.full_name']).where('e.inquiry_id', '=', inquiryId);
  if (atMost) entries = entries.where('e.created_at', '<=', atMost);
  let audits = db.selectFrom('audit_events as a').leftJoin('persons as p', 'p.id', 'a.actor_person_id')
    .select(['a.id', 'a.action', 'a.at', 'a.actor_person_id', 'a.after', 'p.full_name'])
    .where('a.entity', '=', 'inquiry').where('a.entity_id', '=', String(inquiryId)).where('a.action', 'in', auditActions.length > 0 ? [...auditActions] : ['-']);
  if (atMost) audits = audits.where('a.at', '<=', atMost);
  let deadlines = db.selectFrom('deadline_events').select(['kind', 'step', 'fired_at']).where('inquiry_id', '=', inquiryId);
  if (atMost) deadlines = deadlines.where('fired_at', '<=', atMost);
  const [e, a, d] = await Promise.all([
    entries.orderBy('e.created_at', 'desc').orderBy('e.id', 'desc').limit(take + 50).execute(),
    audits.orderBy('a.at', 'desc').orderBy('a.id', 'desc').limit(take + 50).execute(),
    deadlines.orderBy('fired_at', 'desc').limit(take + 50).execute(),
  ]);
  const all: ThreadItem[] = [
    ...e.map((r) => ({ key: `entry:${String(r.id).padStart(12, '0')}`, source: 'entry' as const, kind: r.kind, text: r.text, by: r.full_name ?? null, byPersonId: r.author_person_id === null ? null : Number(r.author_person_id), at: r.created_at, entryId: Number(r.id) })),
    ...a.map((r) => ({ key: `audit:${String(r.id).padStart(12, '0')}`, source: 'audit' as const, kind: r.action, text: '', by: r.full_name ?? null, byPersonId: r.actor_person_id === null ? null : Number(r.actor_person_id), at: r.at, detail: r.after })),
    ...d.map((r) => ({ key: `deadline:${r.kind}-${r.step}`, source: 'deadline' as const, kind: r.kind, text: r.step, by: null, byPersonId: null, at: r.fired_at })),
  ].filter((item) => before === undefined || isBefore(item, before)).sort(compare);
  const page = all.slice(-limit);
  return { items: page, before: all.length > limit ? cursorOf(page[0]!) : undefined };
}

/**
 * The newest message in chat `chatId` (platform `web`) that carries inquiry `inquiryId` as one of
 * `kinds`: replying to it is how a thread's composer reaches the same flow as a reply in the chat.
 */
export async function latestRefInChat(db: Db, chatId: string, inquiryId: number, kinds: readonly MessageRefKind[]): Promise<{ messageId: string; kind: MessageRefKind } | undefined> {
  if (kinds.length === 0) return undefined;
  const r = await db.selectFrom('message_refs').select(['message_id', 'kind'])
    .where('platform', '=', 'web').where('chat_id', '=', chatId).where('inquiry_id', '=', inquiryId).where('kind', 'in', [...kinds])
    .orderBy('id', 'desc').executeTakeFirst();
  return r ? { messageId: r.message_id, kind: r.kind } : undefined;
}

/** Web messages in chat `chatId` that carry inquiry `inquiryId` (any kind), newest first: where its buttons are. */
export async function refMessagesInChat(db: Db, chatId: string, inquiryId: number, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('message_refs').select('message_id')
    .where('platform', '=', 'web').where('chat_id', '=', chatId).where('inquiry_id', '=', inquiryId)
    .orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => r.message_id);
}

/** An entry a follower may read: with its author's position, so an answer can be quoted as it was signed. */
export interface PublicEntry extends ThreadItem {
  /** The author's position from the directory (`persons.title`, `title_en`), if any. */
  byTitle: string | null;
  byTitleEn: string | null;
}

/**
 * Inquiry `inquiryId`'s entries of `kinds` only (what its followers are sent: answers, their
 * corrections, a decline), oldest first, at most `limit`. Nothing else of the thread is read, so
 * no clarification, follow-up or internal event can reach a follower's view.
 */
export async function publicEntries(db: Db, inquiryId: number, kinds: readonly EntryKind[], limit: number): Promise<PublicEntry[]> {
  if (kinds.length === 0) return [];
  const rows = await db.selectFrom('inquiry_entries as e').leftJoin('persons as p', 'p.id', 'e.author_person_id')
    .select(['e.id', 'e.kind', 'e.text', 'e.created_at', 'e.author_person_id', 'p.full_name', 'p.title', 'p.title_en'])
    .where('e.inquiry_id', '=', inquiryId).where('e.kind', 'in', [...kinds])
    .orderBy('e.created_at', 'desc').orderBy('e.id', 'desc').limit(limit).execute();
  return rows.reverse().map((r) => ({
    key: `entry:${String(r.id).padStart(12, '0')}`, source: 'entry', kind: r.kind, text: r.text, by: r.full_name ?? null,
    byPersonId: r.author_person_id === null ? null : Number(r.author_person_id), at: r.created_at, entryId: Number(r.id), byTitle: r.title ?? null, byTitleEn: r.title_en ?? null,
  }));
}
