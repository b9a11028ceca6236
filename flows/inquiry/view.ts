import type { Db } from '../../db/client.js';
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

export async function loadViewRows(db: Db, inquiry: Inquiry): Promise<ViewRows> {
  const [org, topic, reporter] = await Promise.all([
    inquiry.org_id ? findOrg(db, inquiry.org_id) : Promise.resolve(undefined),
    inquiry.topic_id ? findTopic(db, inquiry.topic_id) : Promise.resolve(undefined),
    findPerson(db, inquiry.reporter_person_id),
  ]);
  const outlet = reporter?.outlet_id ? await findOutlet(db, reporter.outlet_id) : undefined;
  return { org, topic, reporter, outlet };
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
