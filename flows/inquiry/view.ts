import type { Db } from '../../db/client.js';
import type { AgencyRecipients } from '../../db/repositories/agency-recipients.js';
import type { SimilarRef } from './similar.js';
import { findOrg, findOutlet, findPerson, findTopic } from '../../db/repositories/directory.js';
import type { Inquiry, Org, Outlet, Person, Topic } from '../../db/schema.js';
import type { Copy, InquiryLine, InquiryView } from '../copy/index.js';

/** The organisation's name in the reader's language. */
export function orgName(org: Org | undefined, t: Copy): string {
  if (!org) return '—';
  return t.locale === 'en' && org.name_en ? org.name_en : org.name;
}

/** The topic's name in the reader's language. */
export function topicName(topic: Topic | undefined, t: Copy): string {
  if (!topic) return '—';
  return t.locale === 'en' && topic.name_en ? topic.name_en : topic.name;
}

/** The directory rows an inquiry's view is made of (read once, shown in any language). */
export interface ViewRows {
  org: Org | undefined;
  topic: Topic | undefined;
  reporter: Person | undefined;
  outlet: Outlet | undefined;
}

/**
 * Rows the caller already read in this same transaction, so the view need not read them again.
 * Each is used only when its id is the one the inquiry names. `questionFiles`: the ids of the
 * question's stored files, when the caller knows them (a question sent without files: `[]`).
 */
export interface KnownRows {
  org?: Org | undefined;
  topic?: Topic | undefined;
  reporter?: Person | undefined;
  /** The reporter's outlet (used when it is the one the reporter names). */
  outlet?: Outlet | undefined;
  questionFiles?: readonly number[];
  /** The topic's inquiries like this one (found when the reporter chose the topic): a screening notice's likely duplicates. */
  duplicates?: readonly SimilarRef[];
  /** Who receives a new inquiry at organisation `orgId`, read with the topic (`topicForSend`), for this reporter. */
  recipients?: (AgencyRecipients & { orgId: number }) | undefined;
}

export async function loadViewRows(db: Db, inquiry: Inquiry, known: KnownRows = {}): Promise<ViewRows> {
  const [org, topic, reporter] = await Promise.all([
    inquiry.org_id ? knownOr(known.org, inquiry.org_id, findOrg, db) : Promise.resolve(undefined),
    inquiry.topic_id ? knownOr(known.topic, inquiry.topic_id, findTopic, db) : Promise.resolve(undefined),
    knownOr(known.reporter, inquiry.reporter_person_id, findPerson, db),
  ]);
  const outlet = reporter?.outlet_id ? await knownOr(known.outlet, reporter.outlet_id, findOutlet, db) : undefined;
  return { org, topic, reporter, outlet };
}

/** `row` when it is the one with `id`, else read by `find`. */
export function knownOr<T extends { id: number }>(row: T | undefined, id: number, find: (db: Db, id: number) => Promise<T | undefined>, db: Db): Promise<T | undefined> {
  return row?.id === id ? Promise.resolve(row) : find(db, id);
}

/** Everything the copy needs to show an inquiry, in the reader's language. */
export function toView(inquiry: Inquiry, { org, topic, reporter, outlet }: ViewRows, t: Copy): InquiryView {
  return {
    code: inquiry.code ?? `Q-${inquiry.id}`, question: inquiry.question, orgName: orgName(org, t),
    topicName: topicName(topic, t), reporterName: reporter?.full_name ?? '—',
    outletName: outlet?.name ?? reporter?.outlet_name ?? '—', receivedAt: inquiry.received_at,
    dueAt: inquiry.due_at, status: inquiry.status,
  };
}

/** A one-line summary for lists. */
export async function loadLine(db: Db, inquiry: Inquiry, t: Copy): Promise<InquiryLine> {
  const org = inquiry.org_id ?? inquiry.suggested_org_id;
  return {
    code: inquiry.code ?? `Q-${inquiry.id}`, status: inquiry.status,
    orgName: orgName(org ? await findOrg(db, org) : undefined, t), question: inquiry.question,
    receivedAt: inquiry.received_at, dueAt: inquiry.due_at,
  };
}

/** The inquiry's public code. */
export function codeOf(inquiry: Inquiry): string {
  return inquiry.code ?? `Q-${inquiry.id}`;
}
