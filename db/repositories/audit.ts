import type { Db } from '../client.js';

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
  await db.insertInto('audit_events').values({
    at: a.at, actor_person_id: a.actorPersonId, actor_identity_id: a.actorIdentityId,
    action: a.action, entity: a.entity, entity_id: String(a.entityId),
    before: a.before === undefined ? null : JSON.stringify(a.before),
    after: a.after === undefined ? null : JSON.stringify(a.after),
  }).execute();
}

/** Audit records of `action` after `sinceIso` (any actor). */
export async function countAuditSince(db: Db, action: string, sinceIso: string): Promise<number> {
  const row = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', action).where('at', '>', sinceIso).executeTakeFirstOrThrow();
  return Number(row.n);
}
