import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

/**
 * `stats_fr_agency`: per grain (`d` a local day, `m` a local month) and agency, the histogram of
 * first-response office minutes of the inquiries received then (the same buckets as
 * `stats_rollup.r_fr_hist`, merged over topics and classes), so that the league table's per-agency
 * median and p90 read one row per agency and slice instead of merging every topic's and class's
 * histogram (issue #15: 1.65 s at p95 on SQLite at a million inquiries). Written by the same
 * recomputation as `stats_rollup`; every existing day is marked so the next refresh fills it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('stats_fr_agency')
    .addColumn('grain', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('org_id', 'integer', (c) => c.notNull())
    .addColumn('r_fr_hist', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stats_fr_agency_pk', ['grain', 'period', 'org_id']).execute();
  const day = isPostgres(db) ? sql`to_char(received_at::timestamp + interval '7 hours', 'YYYY-MM-DD')` : sql`date(received_at, '+7 hours')`;
  await sql`insert into stats_dirty (day) select distinct ${day} from inquiries where first_response_office_min is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('stats_fr_agency').execute();
}
