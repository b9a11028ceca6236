import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as inviteHash from '../../db/migrations/2026-12-05-802-invite-hash.js';
import { findPersonByInvite } from '../../db/repositories/directory.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';

describe.each(testDialects())('invite codes at rest (%s)', (dialect) => {
  let t: TestDb;
  beforeAll(async () => { t = await createTestDb(dialect); });
  afterAll(async () => { await t.drop(); });

  it('the migration replaces codes an earlier version stored in clear by their hashes, and they still work', async () => {
    const at = '2026-12-01T00:00:00.000Z';
    const person = (code: string, invite: string | null, usedAt: string | null) => ({
      code, full_name: code, outlet_id: null, outlet_name: null, press_card: null, phone: null, tags: null, locale: null,
      invite_code: invite, invite_used_at: usedAt, created_at: at, updated_at: at,
    });
    // As an earlier version left them: the codes themselves.
    await t.db.insertInto('persons').values([person('A', 'legacy-code-a1', null), person('B', 'legacy-code-b1', at), person('C', null, null)]).execute();
    await inviteHash.up(t.db as unknown as Kysely<unknown>);
    const rows = await t.db.selectFrom('persons').select(['code', 'invite_code']).orderBy('code').execute();
    expect(JSON.stringify(rows)).not.toContain('legacy-code');
    expect(rows.map((r) => r.invite_code === null ? null : /^[0-9a-f]{64}$/.test(r.invite_code))).toEqual([true, true, null]);
    expect((await findPersonByInvite(t.db, 'legacy-code-a1'))?.code).toBe('A');
    expect((await findPersonByInvite(t.db, 'legacy-code-b1'))?.code).toBe('B');
    expect(await findPersonByInvite(t.db, rows[0]!.invite_code!)).toBeUndefined(); // the hash itself is no code
  });
});
