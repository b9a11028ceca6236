import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

/**
 * The leaders' figures (issue #15) read daily and monthly sums instead of the inquiries themselves,
 * so that a year of a million inquiries is summed from a few thousand rows:
 * - `inquiries.first_response_office_min`: office minutes from receipt to the agency's first
 *   response, measured by the application (it needs the calendar and the agency's office hours);
 * - `stats_rollup`: per grain (`d` a local day, `m` a local month), agency, topic and deadline class,
 *   the counts of the received cohort (`r_*`), of the replies given that day (`c_*`) and a histogram
 *   of first-response office minutes;
 * - `stats_dirty`: local days whose sums must be recomputed. Triggers append a row whenever an
 *   inquiry (or a follow-up) that counts on that day is written, in the writer's own transaction,
 *   so no code path can forget it; rows are only ever appended (no hot row to lock on PostgreSQL);
 * - `stats_meta`: a version the recomputation bumps, which live dashboards poll.
 * Every existing day is marked, so the first refresh builds the sums of an existing database.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('inquiries').addColumn('first_response_office_min', 'integer').execute();
  const pg = isPostgres(db);
  await db.schema.createTable('stats_dirty')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('day', 'text', (c) => c.notNull()).execute();
  let rollup = db.schema.createTable('stats_rollup')
    .addColumn('grain', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('org_id', 'integer', (c) => c.notNull())
    .addColumn('topic_id', 'integer', (c) => c.notNull())
    .addColumn('deadline_class', 'text', (c) => c.notNull());
  for (const name of COUNTS) rollup = rollup.addColumn(name, 'integer', (c) => c.notNull().defaultTo(0));
  await rollup.addColumn('r_fr_hist', 'text')
    .addPrimaryKeyConstraint('stats_rollup_pk', ['grain', 'period', 'org_id', 'topic_id', 'deadline_class']).execute();
  await db.schema.createTable('stats_meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull()).execute();
  await sql`insert into stats_meta (key, value) values ('version', 0)`.execute(db);

  // The day's received cohort and the day's replies are read by time range; the fill of office minutes by what is missing.
  await db.schema.createIndex('inquiries_received').on('inquiries').column('received_at').execute();
  await db.schema.createIndex('inquiries_closed').on('inquiries').column('closed_at').execute();
  await db.schema.createIndex('inquiries_office_min_missing').on('inquiries').column('first_response_at')
    .where(sql.ref('first_response_office_min'), 'is', null).execute();
  await db.schema.createIndex('inquiry_entries_kind').on('inquiry_entries').columns(['inquiry_id', 'kind']).execute();

  if (pg) await postgresTriggers(db);
  else await sqliteTriggers(db);
  await sql`insert into stats_dirty (day) select distinct ${localDay(pg, sql.ref('received_at'))} from inquiries`.execute(db);
}

/** The counts of a rollup row (see `db/repositories/stats-rollup.ts` for what each counts). */
const COUNTS = [
  'received', 'r_replied', 'r_on_time', 'r_on_time_ne', 'r_extended',
  'r_declined_secret', 'r_declined_investigation', 'r_declined_unresolved', 'r_declined_draft_policy',
  'r_rated_satisfied', 'r_rated_acceptable', 'r_rated_unsatisfied', 'r_followups', 'r_fr_count',
  'c_closed', 'c_on_time', 'c_on_time_ne',
] as const;

/** Columns whose change can move an inquiry's figures. */
const WATCHED = [
  'status', 'org_id', 'suggested_org_id', 'topic_id', 'deadline_class', 'received_at', 'due_at', 'original_due_at',
  'closed_at', 'decline_ground', 'rating', 'first_response_at', 'first_response_office_min',
] as const;

/** The local (UTC+7, no daylight saving) date of an ISO instant held as text. */
function localDay(pg: boolean, ref: ReturnType<typeof sql.ref>) {
  return pg ? sql`to_char(${ref}::timestamp + interval '7 hours', 'YYYY-MM-DD')` : sql`date(${ref}, '+7 hours')`;
}

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const days = (row: 'NEW' | 'OLD') => `select date(${row}.received_at, '+7 hours') as d union select date(${row}.closed_at, '+7 hours')`;
  const changed = WATCHED.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
  await sql.raw(`create trigger stats_inquiry_insert after insert on inquiries begin
    insert into stats_dirty (day) select d from (${days('NEW')}) where d is not null; end`).execute(db);
  await sql.raw(`create trigger stats_inquiry_update after update of ${WATCHED.join(', ')} on inquiries when ${changed} begin
    insert into stats_dirty (day) select d from (${days('NEW')} union ${days('OLD')}) where d is not null; end`).execute(db);
  await sql.raw(`create trigger stats_inquiry_delete after delete on inquiries begin
    insert into stats_dirty (day) select d from (${days('OLD')}) where d is not null; end`).execute(db);
  await sql.raw(`create trigger stats_followup_insert after insert on inquiry_entries when NEW.kind = 'followup' begin
    insert into stats_dirty (day) select date(received_at, '+7 hours') from inquiries where id = NEW.inquiry_id; end`).execute(db);
  await sql.raw(`create trigger stats_followup_delete after delete on inquiry_entries when OLD.kind = 'followup' begin
    insert into stats_dirty (day) select date(received_at, '+7 hours') from inquiries where id = OLD.inquiry_id; end`).execute(db);
}

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  const day = (v: string) => `to_char((${v})::timestamp + interval '7 hours', 'YYYY-MM-DD')`;
  const mark = (row: 'NEW' | 'OLD') => `insert into stats_dirty (day) select distinct d from (values (${day(`${row}.received_at`)}), (${day(`${row}.closed_at`)})) v(d) where d is not null;`;
  await sql.raw(`create function stats_mark_inquiry() returns trigger language plpgsql as $$
    begin
      if TG_OP <> 'INSERT' then ${mark('OLD')} end if;
      if TG_OP <> 'DELETE' then ${mark('NEW')} end if;
      return null;
    end $$`).execute(db);
  await sql.raw(`create function stats_mark_followup() returns trigger language plpgsql as $$
    declare r record;
    begin
      if TG_OP = 'DELETE' then r := OLD; else r := NEW; end if;
      if r.kind = 'followup' then
        insert into stats_dirty (day) select ${day('received_at')} from inquiries where id = r.inquiry_id;
      end if;
      return null;
    end $$`).execute(db);
  const changed = WATCHED.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ');
  await sql.raw('create trigger stats_inquiry_insert after insert or delete on inquiries for each row execute function stats_mark_inquiry()').execute(db);
  await sql.raw(`create trigger stats_inquiry_update after update of ${WATCHED.join(', ')} on inquiries for each row when (${changed}) execute function stats_mark_inquiry()`).execute(db);
  await sql.raw('create trigger stats_followup after insert or delete on inquiry_entries for each row execute function stats_mark_followup()').execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  for (const t of ['stats_inquiry_insert', 'stats_inquiry_update', 'stats_inquiry_delete']) await sql.raw(`drop trigger if exists ${t}${pg ? ' on inquiries' : ''}`).execute(db);
  for (const t of pg ? ['stats_followup'] : ['stats_followup_insert', 'stats_followup_delete']) await sql.raw(`drop trigger if exists ${t}${pg ? ' on inquiry_entries' : ''}`).execute(db);
  if (pg) for (const f of ['stats_mark_inquiry', 'stats_mark_followup']) await sql.raw(`drop function if exists ${f}()`).execute(db);
  for (const i of ['inquiries_received', 'inquiries_closed', 'inquiries_office_min_missing', 'inquiry_entries_kind']) await db.schema.dropIndex(i).execute();
  for (const t of ['stats_meta', 'stats_rollup', 'stats_dirty']) await db.schema.dropTable(t).execute();
  await db.schema.alterTable('inquiries').dropColumn('first_response_office_min').execute();
}
