import type { Kysely } from 'kysely';

/**
 * `role_assignments_case`: the spokespersons authorised for one inquiry (`case_inquiry_id`). The
 * recipients of an agency's notice are its spokespersons *or* those authorised for the inquiry;
 * with an index on each side of that OR, SQLite searches both instead of walking every role of the
 * directory (every reporter's too) for each new inquiry — 98 µs a notice with 435 roles, growing
 * with the directory. Partial: only authorised spokespersons carry the column.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('role_assignments_case').ifNotExists().on('role_assignments').column('case_inquiry_id')
    .where('case_inquiry_id', 'is not', null).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('role_assignments_case').ifExists().execute();
}
