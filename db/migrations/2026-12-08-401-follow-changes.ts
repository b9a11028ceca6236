import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

/**
 * A reporter's "Đang theo dõi" list follows live (issue #14): `inbox_changes.follower_person_id`
 * is set on a row written, by a trigger in the writer's own transaction, whenever a person starts
 * or stops following an inquiry (`inquiry_followers` insert or delete), so that person's open
 * pages, in any tab, device or process, reload their lists. Such a row concerns that person only.
 * (Changes of a followed inquiry itself are the existing triggers' rows: the feed matches them
 * against the follows of the pages' people.)
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('inbox_changes').addColumn('follower_person_id', 'integer').execute();
  const insert = (r: 'NEW' | 'OLD') => `insert into inbox_changes (inquiry_id, follower_person_id) values (${r}.inquiry_id, ${r}.person_id)`;
  if (isPostgres(db)) {
    await sql.raw(`create function inbox_mark_follow() returns trigger language plpgsql as $$
      begin
        if TG_OP = 'DELETE' then ${insert('OLD')}; else ${insert('NEW')}; end if;
        return null;
      end $$`).execute(db);
    await sql.raw('create trigger inbox_follow_insert after insert on inquiry_followers for each row execute function inbox_mark_follow()').execute(db);
    await sql.raw('create trigger inbox_follow_delete after delete on inquiry_followers for each row execute function inbox_mark_follow()').execute(db);
  } else {
    await sql.raw(`create trigger inbox_follow_insert after insert on inquiry_followers begin ${insert('NEW')}; end`).execute(db);
    await sql.raw(`create trigger inbox_follow_delete after delete on inquiry_followers begin ${insert('OLD')}; end`).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  for (const name of ['inbox_follow_insert', 'inbox_follow_delete']) await sql.raw(`drop trigger if exists ${name}${pg ? ' on inquiry_followers' : ''}`).execute(db);
  if (pg) await sql.raw('drop function if exists inbox_mark_follow()').execute(db);
  await db.schema.alterTable('inbox_changes').dropColumn('follower_person_id').execute();
}
