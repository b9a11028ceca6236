import type { Db } from '../../db/client.js';
import type { DeadlineClass, DeclineGround, InquiryStatus, Rating } from '../../db/schema.js';
import { linkChat, seedMiniNetwork, type MiniNetwork } from './directory-fixture.js';

/**
 * A hand-built data set whose figures are worked out by hand in `test/integration/stats-figures.test.ts`
 * (and the annual report's test). "Now" is Friday 4 December 2026, 10:00 in Vietnam; the reporting
 * year 2026 runs 15 December 2025 – 14 December 2026. Times below are Vietnam wall-clock times.
 */
export const DATASET_NOW = '2026-12-04T03:00:00.000Z';

/** Vietnam wall-clock `YYYY-MM-DD HH:mm` as a UTC ISO instant. */
export function vn(local: string): string {
  return new Date(`${local.replace(' ', 'T')}:00+07:00`).toISOString();
}

/** One inquiry of the data set; unset fields are null. */
export interface DatasetInquiry {
  label: string;
  org: 'SYT' | 'STC' | 'CA' | null;
  suggested?: 'SYT' | 'STC' | 'CA';
  topic: 'YTE' | 'ANTT' | null;
  cls: DeadlineClass;
  status: InquiryStatus;
  received: string;
  due: string;
  originalDue?: string;
  closed?: string;
  firstResponse?: string;
  paused?: string;
  ground?: DeclineGround;
  rating?: Rating;
  followups?: number;
}

/** The inquiries (see the test for each figure they make). */
export const DATASET: readonly DatasetInquiry[] = [
  { label: 'A1', org: 'SYT', topic: 'YTE', cls: 'routine', status: 'answered', received: '2026-03-02 08:00', due: '2026-03-05 00:00', closed: '2026-03-02 09:30', firstResponse: '2026-03-02 09:30', rating: 'satisfied', followups: 2 },
  { label: 'A2', org: 'SYT', topic: 'YTE', cls: 'routine', status: 'answered', received: '2026-03-02 10:00', due: '2026-03-11 00:00', originalDue: '2026-03-05 00:00', closed: '2026-03-06 10:00', firstResponse: '2026-03-06 10:00', rating: 'acceptable' },
  { label: 'A3', org: 'SYT', topic: 'YTE', cls: 'routine', status: 'declined', received: '2026-04-01 14:00', due: '2026-04-04 00:00', closed: '2026-04-02 09:00', firstResponse: '2026-04-02 09:00', ground: 'secret' },
  { label: 'A4', org: 'STC', topic: null, cls: 'routine', status: 'answered', received: '2026-05-11 09:00', due: '2026-05-14 00:00', closed: '2026-05-15 09:00', firstResponse: '2026-05-11 11:00', rating: 'unsatisfied', followups: 1 },
  { label: 'A5', org: 'STC', topic: null, cls: 'incident', status: 'answered', received: '2026-06-01 10:00', due: '2026-06-02 10:00', closed: '2026-06-02 06:00', firstResponse: '2026-06-02 06:00' },
  { label: 'A6', org: 'CA', topic: 'ANTT', cls: 'public_opinion', status: 'acknowledged', received: '2026-11-30 09:00', due: '2026-12-01 09:00', firstResponse: '2026-11-30 10:00' },
  { label: 'A7', org: 'CA', topic: 'ANTT', cls: 'routine', status: 'assigned', received: '2026-12-02 15:00', due: '2026-12-05 00:00' },
  { label: 'A8', org: 'CA', topic: 'ANTT', cls: 'routine', status: 'assigned', received: '2026-12-03 11:00', due: '2026-12-08 00:00' },
  { label: 'A9', org: 'CA', topic: 'ANTT', cls: 'routine', status: 'clarifying', received: '2026-11-23 09:00', due: '2026-11-26 00:00', paused: '2026-11-24 09:00' },
  { label: 'A11', org: null, suggested: 'SYT', topic: 'YTE', cls: 'routine', status: 'screening', received: '2026-12-04 08:00', due: '2026-12-09 00:00' },
  { label: 'B1', org: 'SYT', topic: 'YTE', cls: 'routine', status: 'answered', received: '2025-12-10 09:00', due: '2025-12-13 00:00', closed: '2025-12-19 09:00', firstResponse: '2025-12-19 09:00' },
  { label: 'B2', org: 'SYT', topic: 'YTE', cls: 'routine', status: 'answered', received: '2025-11-03 09:00', due: '2025-11-06 00:00', closed: '2025-11-04 09:00', firstResponse: '2025-11-04 09:00' },
  { label: 'B3', org: 'STC', topic: null, cls: 'routine', status: 'acknowledged', received: '2025-12-01 09:00', due: '2025-12-04 00:00' },
  { label: 'W1', org: 'SYT', topic: 'YTE', cls: 'routine', status: 'withdrawn', received: '2026-07-01 09:00', due: '2026-07-04 00:00', closed: '2026-07-02 09:00' },
  { label: 'M1', org: null, suggested: 'SYT', topic: 'YTE', cls: 'routine', status: 'merged', received: '2026-07-01 10:00', due: '2026-07-04 00:00', closed: '2026-07-01 11:00' },
  { label: 'R1', org: null, suggested: 'CA', topic: 'ANTT', cls: 'routine', status: 'rejected', received: '2026-07-01 11:00', due: '2026-07-04 00:00', closed: '2026-07-01 12:00' },
];

/** The seeded network and each inquiry's id by label. */
export interface SeededDataset {
  net: MiniNetwork;
  ids: Map<string, number>;
}

/** Seeds the mini network and {@link DATASET} (inquiries written directly, as the flows leave them). */
export async function seedStatsDataset(db: Db): Promise<SeededDataset> {
  const net = await seedMiniNetwork(db);
  const identity = await linkChat(db, net.reporterId, 'telegram', '9001');
  const orgIds = { SYT: net.healthId, STC: net.financeId, CA: net.policeId };
  const topicIds = { YTE: net.healthTopicId, ANTT: net.securityTopicId };
  const ids = new Map<string, number>();
  for (const q of DATASET) {
    const row = await db.insertInto('inquiries').values({
      code: null, reporter_person_id: net.reporterId, reporter_identity_id: identity, origin_chat_id: '9001', origin_message_id: q.label,
      topic_id: q.topic ? topicIds[q.topic] : null, org_id: q.org ? orgIds[q.org] : null, suggested_org_id: q.suggested ? orgIds[q.suggested] : (q.org ? orgIds[q.org] : null),
      status: q.status, question: `Câu hỏi ${q.label}?`, received_at: vn(q.received), deadline_class: q.cls, rule_id: null, legal_basis: null,
      due_at: vn(q.due), original_due_at: vn(q.originalDue ?? q.due), urgent_requested: 0, merged_into_id: null,
      decline_ground: q.ground ?? null, decline_reason: q.ground ? 'Bí mật nhà nước.' : null, reject_reason: null, handler_person_id: null,
      acknowledged_at: null, first_response_at: q.firstResponse ? vn(q.firstResponse) : null,
      answered_at: q.status === 'answered' && q.closed ? vn(q.closed) : null, closed_at: q.closed ? vn(q.closed) : null,
      resume_status: q.paused ? 'acknowledged' : null, rating: q.rating ?? null, rated_at: q.rating && q.closed ? vn(q.closed) : null,
      deadline_counting: q.cls === 'incident' || q.cls === 'public_opinion' ? 'wall' : 'working', paused_at: q.paused ? vn(q.paused) : null,
      created_at: vn(q.received), updated_at: vn(q.closed ?? q.received),
    }).returning('id').executeTakeFirstOrThrow();
    await db.updateTable('inquiries').set({ code: `Q-${row.id}` }).where('id', '=', row.id).execute();
    ids.set(q.label, row.id);
    for (let i = 0; i < (q.followups ?? 0); i += 1) {
      await db.insertInto('inquiry_entries').values({ inquiry_id: row.id, kind: 'followup', author_person_id: net.reporterId, text: `Hỏi thêm ${i + 1}`, created_at: vn(q.closed ?? q.received) }).execute();
    }
  }
  return { net, ids };
}
