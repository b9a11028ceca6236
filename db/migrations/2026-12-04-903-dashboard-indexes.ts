import { sql, type Kysely } from 'kysely';

/**
 * Indexes the dashboard's live reads need at a million inquiries (measured by `npm run bench --
 * --only dashboard`, README "Benchmarks"):
 * - `inquiries_status_due`: the overdue list (open statuses, oldest due first) reads only open rows
 *   instead of walking every due time;
 * - `inquiries_agency_received`: an agency's inquiries, newest first (the agency is the routed one,
 *   else the suggested one: the expression the queries use);
 * - `notice_recipients_acked`: the newest acknowledgement, which live dashboards compare every second.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('inquiries_status_due').on('inquiries').columns(['status', 'due_at']).execute();
  await sql`create index inquiries_agency_received on inquiries (coalesce(org_id, suggested_org_id, 0), received_at)`.execute(db);
  await db.schema.createIndex('notice_recipients_acked').on('notice_recipients').column('acked_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of ['notice_recipients_acked', 'inquiries_agency_received', 'inquiries_status_due']) await db.schema.dropIndex(name).execute();
}
