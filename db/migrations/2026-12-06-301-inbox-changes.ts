import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

/**
 * "Your inbox changed" for the web page's streams (issue #14): `inbox_changes` is appended to by
 * triggers, in the writer's own transaction, whenever an inquiry is created or its status, due
 * time, agency, pause, topic, code or rating changes, an entry or a deadline event (reminder,
 * escalation) is added to it, or a reporter registration is filed or settled — so no code path
 * (flow, worker, dashboard form, import) can forget it, and no flow makes an extra round trip.
 * Each row names what a reader's scope is matched against: the inquiry, its agency (routed, else
 * suggested; a transfer also writes the agency it left) and its reporter; a row with no inquiry is
 * a registration. Web processes read the rows after their cursor on every poll of their open
 * streams; the nightly housekeeping deletes rows older than a day (`at`, the database's clock).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema.createTable('inbox_changes')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('inquiry_id', 'integer')
    .addColumn('agency_id', 'integer')
    .addColumn('reporter_person_id', 'integer')
    .addColumn('at', 'text', (c) => c.notNull().defaultTo(pg
      ? sql`to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`))
    .execute();
  await db.schema.createIndex('inbox_changes_at').on('inbox_changes').column('at').execute();
  if (pg) await postgresTriggers(db);
  else await sqliteTriggers(db);
}

/** Columns of `inquiries` whose change moves an inbox row (or its thread's header). */
const WATCHED = ['status', 'due_at', 'org_id', 'suggested_org_id', 'paused_at', 'topic_id', 'code', 'merged_into_id', 'rating'] as const;

const INSERT = 'insert into inbox_changes (inquiry_id, agency_id, reporter_person_id)';

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const row = (r: 'NEW' | 'OLD') => `values (${r}.id, coalesce(${r}.org_id, ${r}.suggested_org_id), ${r}.reporter_person_id)`;
  const ofInquiry = `${INSERT} select id, coalesce(org_id, suggested_org_id), reporter_person_id from inquiries where id = NEW.inquiry_id`;
  const changed = WATCHED.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
  await sql.raw(`create trigger inbox_inquiry_insert after insert on inquiries begin ${INSERT} ${row('NEW')}; end`).execute(db);
  await sql.raw(`create trigger inbox_inquiry_update after update of ${WATCHED.join(', ')} on inquiries when ${changed} begin
    ${INSERT} ${row('NEW')};
    ${INSERT} select OLD.id, coalesce(OLD.org_id, OLD.suggested_org_id), OLD.reporter_person_id
      where coalesce(OLD.org_id, OLD.suggested_org_id) IS NOT coalesce(NEW.org_id, NEW.suggested_org_id); end`).execute(db);
  await sql.raw(`create trigger inbox_entry_insert after insert on inquiry_entries begin ${ofInquiry}; end`).execute(db);
  await sql.raw(`create trigger inbox_deadline_event_insert after insert on deadline_events begin ${ofInquiry}; end`).execute(db);
  await sql.raw(`create trigger inbox_registration_insert after insert on role_assignments when NEW.role = 'reporter' begin ${INSERT} values (null, null, null); end`).execute(db);
  await sql.raw(`create trigger inbox_registration_update after update of status on role_assignments when NEW.role = 'reporter' and OLD.status IS NOT NEW.status
    begin ${INSERT} values (null, null, null); end`).execute(db);
}

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`create function inbox_mark_inquiry() returns trigger language plpgsql as $$
    begin
      ${INSERT} values (NEW.id, coalesce(NEW.org_id, NEW.suggested_org_id), NEW.reporter_person_id);
      if TG_OP = 'UPDATE' and coalesce(OLD.org_id, OLD.suggested_org_id) is distinct from coalesce(NEW.org_id, NEW.suggested_org_id) then
        ${INSERT} values (OLD.id, coalesce(OLD.org_id, OLD.suggested_org_id), OLD.reporter_person_id);
      end if;
      return null;
    end $$`).execute(db);
  await sql.raw(`create function inbox_mark_child() returns trigger language plpgsql as $$
    begin
      ${INSERT} select id, coalesce(org_id, suggested_org_id), reporter_person_id from inquiries where id = NEW.inquiry_id;
      return null;
    end $$`).execute(db);
  await sql.raw(`create function inbox_mark_registration() returns trigger language plpgsql as $$
    begin
      ${INSERT} values (null, null, null);
      return null;
    end $$`).execute(db);
  const changed = WATCHED.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ');
  await sql.raw('create trigger inbox_inquiry_insert after insert on inquiries for each row execute function inbox_mark_inquiry()').execute(db);
  await sql.raw(`create trigger inbox_inquiry_update after update of ${WATCHED.join(', ')} on inquiries for each row when (${changed}) execute function inbox_mark_inquiry()`).execute(db);
  await sql.raw('create trigger inbox_entry_insert after insert on inquiry_entries for each row execute function inbox_mark_child()').execute(db);
  await sql.raw('create trigger inbox_deadline_event_insert after insert on deadline_events for each row execute function inbox_mark_child()').execute(db);
  await sql.raw(`create trigger inbox_registration_insert after insert on role_assignments for each row when (NEW.role = 'reporter') execute function inbox_mark_registration()`).execute(db);
  await sql.raw(`create trigger inbox_registration_update after update of status on role_assignments for each row
    when (NEW.role = 'reporter' and OLD.status is distinct from NEW.status) execute function inbox_mark_registration()`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  const triggers: Array<[string, string]> = [
    ['inbox_inquiry_insert', 'inquiries'], ['inbox_inquiry_update', 'inquiries'], ['inbox_entry_insert', 'inquiry_entries'],
    ['inbox_deadline_event_insert', 'deadline_events'], ['inbox_registration_insert', 'role_assignments'], ['inbox_registration_update', 'role_assignments'],
  ];
  for (const [name, table] of triggers) await sql.raw(`drop trigger if exists ${name}${pg ? ` on ${table}` : ''}`).execute(db);
  if (pg) for (const f of ['inbox_mark_inquiry', 'inbox_mark_child', 'inbox_mark_registration']) await sql.raw(`drop function if exists ${f}()`).execute(db);
  await db.schema.dropTable('inbox_changes').execute();
}
