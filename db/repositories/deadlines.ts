import { sql } from 'kysely';
import type { Db } from '../client.js';
import { orgChainCte, orgChainIds, type OrgChainRow } from './directory.js';
import type { DeadlineClass, DeadlineOverride, InquiryStatus, IsoInstant } from '../schema.js';

/**
 * Statuses in which the deadline clock runs and reminders fire: from receipt (`screening`) until
 * closed. `clarifying` is the pause while the reporter is asked a question.
 */
export const DEADLINE_RUNNING_STATUSES: readonly InquiryStatus[] = ['screening', 'assigned', 'acknowledged'];

/** What the deadline scheduler needs of an inquiry (a narrow select, for batches of thousands). */
export interface DeadlineInquiry {
  id: number;
  status: string;
  org_id: number | null;
  suggested_org_id: number | null;
  received_at: IsoInstant;
  due_at: IsoInstant | null;
  deadline_counting: string | null;
  paused_at: IsoInstant | null;
  deadline_seq: number;
  /** The instant the current due time counts from; null: `received_at`. */
  clock_from_at: IsoInstant | null;
  /** The `deadline_seq` the current period began with (a reopened inquiry's new deadline). */
  period_seq: number;
}

const DEADLINE_COLUMNS = [
  'id', 'status', 'org_id', 'suggested_org_id', 'received_at', 'due_at', 'deadline_counting', 'paused_at', 'deadline_seq',
  'clock_from_at', 'period_seq',
] as const;

/** `pg` returns some integers as strings; the scheduler does arithmetic on these. */
function normalise(r: DeadlineInquiry): DeadlineInquiry {
  return { ...r, id: Number(r.id), deadline_seq: Number(r.deadline_seq), period_seq: Number(r.period_seq) };
}

/** The deadline fields of the given inquiries (any status; missing ids are simply absent). */
export async function findDeadlineInquiries(db: Db, ids: readonly number[]): Promise<DeadlineInquiry[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('inquiries').select([...DEADLINE_COLUMNS]).where('id', 'in', [...ids]).execute();
  return rows.map(normalise);
}

/** One page (by ascending id, after `afterId`) of inquiries whose deadline clock runs (open, not paused, with a due time). */
export async function listRunningDeadlineInquiries(db: Db, page: { afterId: number; limit: number }): Promise<DeadlineInquiry[]> {
  const rows = await db.selectFrom('inquiries').select([...DEADLINE_COLUMNS])
    .where('status', 'in', [...DEADLINE_RUNNING_STATUSES]).where('due_at', 'is not', null).where('paused_at', 'is', null)
    .where('id', '>', page.afterId).orderBy('id').limit(page.limit).execute();
  return rows.map(normalise);
}

/**
 * `orgId`'s chain up the tree (as `orgAncestorIds` returns it) and the overrides of
 * `deadlineClass` held along it, grouped by organisation, in one statement.
 */
export async function overridesUpTheTree(db: Db, orgId: number, deadlineClass: DeadlineClass): Promise<OrgTree> {
  const { rows } = await sql<TreeRow>`${orgChainCte(orgId)}
    select c.depth, c.id as chain_id, c.parent_id as chain_parent_id, o.id, o.org_id, o.deadline_class, o.amount, o.unit, o.legal_basis,
      o.valid_from, o.valid_to, o.created_at, o.updated_at
    from chain c left join deadline_overrides o on o.org_id = c.id and o.deadline_class = ${deadlineClass}
    order by c.depth, o.id`.execute(db);
  return treeFromRows(orgId, rows);
}

/** An organisation's chain up the tree and the overrides of one deadline class held along it (see {@link overridesUpTheTree}). */
export interface OrgTree {
  chain: number[];
  overrides: Map<number, DeadlineOverride[]>;
}

/** A row of the chain joined to its overrides: the chain's level, and an override's columns (null: none at that level). */
export type TreeRow = { depth: number | null; chain_id: number | null; chain_parent_id: number | null } & { [K in keyof DeadlineOverride]: DeadlineOverride[K] | null };

const OVERRIDE_COLUMNS = ['id', 'org_id', 'deadline_class', 'amount', 'unit', 'legal_basis', 'valid_from', 'valid_to', 'created_at', 'updated_at'] as const;

/** {@link OrgTree} from the rows of `orgId`'s chain joined to its overrides, by depth then override id (other columns ignored). */
export function treeFromRows(orgId: number, rows: readonly TreeRow[]): OrgTree {
  const levels = new Map<number, OrgChainRow>();
  for (const r of rows) if (r.depth !== null && r.chain_id !== null) levels.set(Number(r.depth), { id: Number(r.chain_id), parent_id: r.chain_parent_id === null ? null : Number(r.chain_parent_id) });
  const chain = orgChainIds(orgId, [...levels.values()]);
  const overrides = new Map<number, DeadlineOverride[]>();
  const seen = new Set<number>();
  for (const r of rows) {
    // A cycle in bad data repeats its organisations (and their overrides) up to the depth bound.
    if (r.id === null || seen.has(Number(r.id))) continue;
    seen.add(Number(r.id));
    const o = { ...Object.fromEntries(OVERRIDE_COLUMNS.map((c) => [c, r[c]])), id: Number(r.id), org_id: Number(r.org_id), amount: Number(r.amount) } as DeadlineOverride;
    overrides.set(o.org_id, [...(overrides.get(o.org_id) ?? []), o]);
  }
  return { chain, overrides };
}

/** The raw office-hours JSON of each organisation (null: the default hours). */
export async function officeHoursJsonByOrg(db: Db, orgIds: readonly number[]): Promise<Map<number, string | null>> {
  const out = new Map<number, string | null>();
  const unique = [...new Set(orgIds)];
  if (unique.length === 0) return out;
  const rows = await db.selectFrom('orgs').select(['id', 'office_hours']).where('id', 'in', unique).execute();
  for (const row of rows) out.set(Number(row.id), row.office_hours);
  return out;
}

/** One firing of a reminder or escalation step. */
export interface DeadlineEventInput {
  inquiryId: number;
  /** `remind` | `escalate` | `overdue`. */
  kind: string;
  /** The step with the deadline_seq it belongs to, e.g. `r50-3`. */
  step: string;
  firedAt: IsoInstant;
}

/** Records a firing; false when it was already recorded (the step must not send again). */
export async function recordDeadlineEvent(db: Db, e: DeadlineEventInput): Promise<boolean> {
  const inserted = await db.insertInto('deadline_events')
    .values({ inquiry_id: e.inquiryId, kind: e.kind, step: e.step, fired_at: e.firedAt })
    .onConflict((oc) => oc.columns(['inquiry_id', 'kind', 'step']).doNothing())
    .returning('inquiry_id').executeTakeFirst();
  return inserted !== undefined;
}

/** The steps (`r50-3`, `esc_head-3`, …) already fired, per inquiry, for a batch of inquiries. */
export async function listFiredSteps(db: Db, inquiryIds: readonly number[]): Promise<Map<number, Set<string>>> {
  const out = new Map<number, Set<string>>();
  if (inquiryIds.length === 0) return out;
  const rows = await db.selectFrom('deadline_events').select(['inquiry_id', 'step'])
    .where('inquiry_id', 'in', [...inquiryIds]).execute();
  for (const row of rows) {
    const id = Number(row.inquiry_id);
    const set = out.get(id) ?? new Set<string>();
    set.add(row.step);
    out.set(id, set);
  }
  return out;
}
