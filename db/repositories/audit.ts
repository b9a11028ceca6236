import type { Db } from '../client.js';
import { compiledRowOnce } from '../compiled.js';

/** One audit record: who did what to which entity, with the state before and after. */
export interface AuditInput {
  at: string;
  actorPersonId: number | null;
  actorIdentityId: number | null;
  action: string;
  entity: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
}

export async function insertAudit(db: Db, a: AuditInput): Promise<void> {
  await insertAuditStatement(db, auditRow(a));
}

const insertAuditStatement = compiledRowOnce((db: Db, row: AuditRow) => db.insertInto('audit_events').values(row));

/** The `audit_events` row of one audit record (plain values). */
export type AuditRow = ReturnType<typeof auditRow>;

/** The `audit_events` row of one audit record. */
export function auditRow(a: AuditInput) {
  return {
    at: a.at, actor_person_id: a.actorPersonId, actor_identity_id: a.actorIdentityId,
    action: a.action, entity: a.entity, entity_id: String(a.entityId),
    before: a.before === undefined ? null : JSON.stringify(a.before),
    after: a.after === undefined ? null : JSON.stringify(a.after),
  };
}

/** An audit event on an inquiry, with its actor's name. */
export interface InquiryEvent {
  action: string;
  at: string;
  actorPersonId: number | null;
  actorName: string | null;
  before: string | null;
  after: string | null;
}

/** The latest `limit` events among `actions` on inquiry `inquiryId`, newest first (one query). */
export async function recentInquiryEvents(db: Db, inquiryId: number, actions: readonly string[], limit: number): Promise<InquiryEvent[]> {
  if (actions.length === 0) return [];
  const rows = await db.selectFrom('audit_events')
    .leftJoin('persons', 'persons.id', 'audit_events.actor_person_id')
    .select(['audit_events.action', 'audit_events.at', 'audit_events.actor_person_id', 'persons.full_name', 'audit_events.before', 'audit_events.after'])
    .where('audit_events.entity', '=', 'inquiry').where('audit_events.entity_id', '=', String(inquiryId))
    .where('audit_events.action', 'in', [...actions])
    .orderBy('audit_events.id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    action: r.action, at: r.at, actorPersonId: r.actor_person_id === null ? null : Number(r.actor_person_id),
    actorName: r.full_name ?? null, before: r.before, after: r.after,
  }));
}

/**
 * Audit records of `action` on an `entity` after `sinceIso` (any actor). The entity lets the
 * lookup search the entity index instead of reading every audit record ever written.
 */
export async function countAuditSince(db: Db, entity: string, action: string, sinceIso: string): Promise<number> {
  const row = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('entity', '=', entity).where('action', '=', action).where('at', '>', sinceIso).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * True when an audit event of `action` was written for `entity` `entityId` (a mark that a thing
 * was done once: a reminder of the day, a report of the year). Searched by the entity index.
 */
export async function auditEventExists(db: Db, entity: string, action: string, entityId: string): Promise<boolean> {
  return (await db.selectFrom('audit_events').select('id').where('entity', '=', entity).where('entity_id', '=', entityId)
    .where('action', '=', action).limit(1).executeTakeFirst()) !== undefined;
}
