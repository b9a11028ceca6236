import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tokenHash from '../../db/migrations/2026-12-05-801-zalo-token-hash.js';
import { createZaloTokenStore, installZaloTokens, sealStoredZaloTokens } from '../../db/repositories/zalo-oa-tokens.js';
import { createSecretBox, SecretsKeyError } from '../../db/secret-box.js';
import { loadSecretBox } from '../../src/secrets-key.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';

const ACCESS = 'access-Zx81_clear-value-never-at-rest';
const REFRESH = 'refresh-Qq27_clear-value-never-at-rest';
const box = createSecretBox(Buffer.alloc(32, 1));
const pair = { accessToken: ACCESS, refreshToken: REFRESH, accessExpiresAt: new Date('2026-12-06T00:00:00Z'), refreshExpiresAt: null };

describe.each(testDialects())('Zalo OA tokens at rest (%s)', (dialect) => {
  let t: TestDb;
  beforeAll(async () => { t = await createTestDb(dialect); });
  afterAll(async () => { await t.drop(); });
  const rawRow = () => t.db.selectFrom('zalo_oa_tokens').selectAll().where('app_id', '=', 'oa-1').executeTakeFirstOrThrow();

  it('stores them sealed (AES-256-GCM), reads them back, swaps by the clear refresh token, and refuses another key', async () => {
    await installZaloTokens(t.db, 'oa-1', pair, new Date(), box);
    const row = await rawRow();
    expect(JSON.stringify(row)).not.toContain('clear-value');
    expect(row.access_token).toMatch(/^v1\./);
    const store = createZaloTokenStore(t.db, 'oa-1', box);
    expect(await store.read()).toMatchObject({ accessToken: ACCESS, refreshToken: REFRESH, state: 'ok' });
    expect(await store.tryLease(REFRESH, new Date(), new Date(Date.now() + 60_000))).toBe(true);
    const next = { ...pair, accessToken: 'access-2', refreshToken: 'refresh-2' };
    expect(await store.replace(REFRESH, next, new Date())).toBe(true);
    expect(await store.replace(REFRESH, pair, new Date())).toBe(false); // the spent token no longer matches
    expect(await store.read()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    await expect(createZaloTokenStore(t.db, 'oa-1', createSecretBox(Buffer.alloc(32, 2))).read()).rejects.toBeInstanceOf(SecretsKeyError);
  });

  it('migrates a row an earlier version stored in clear: hashed by the migration, sealed at the next start', async () => {
    const db = t.db as unknown as Kysely<unknown>;
    await tokenHash.down(db);
    const legacy = t.db as unknown as Kysely<{ zalo_oa_tokens: Record<string, string | null> }>;
    await legacy.insertInto('zalo_oa_tokens').values({
      app_id: 'oa-old', access_token: ACCESS, refresh_token: REFRESH, access_expires_at: '2026-12-06T00:00:00.000Z',
      refresh_expires_at: null, state: 'ok', refresh_lease_until: null, updated_at: '2026-12-01T00:00:00.000Z',
    }).execute();
    await tokenHash.up(db);
    const store = createZaloTokenStore(t.db, 'oa-old', box);
    // Before the start seals it, the clear row still works, lookups included.
    expect(await store.tryLease(REFRESH, new Date(), new Date(Date.now() + 60_000))).toBe(true);
    await store.releaseLease(REFRESH);
    expect(await sealStoredZaloTokens(t.db, box)).toBe(1);
    expect(await sealStoredZaloTokens(t.db, box)).toBe(0);
    const row = await t.db.selectFrom('zalo_oa_tokens').selectAll().where('app_id', '=', 'oa-old').executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('clear-value');
    expect(await store.read()).toMatchObject({ accessToken: ACCESS, refreshToken: REFRESH });
    expect(await store.tryLease(REFRESH, new Date(), new Date(Date.now() + 60_000))).toBe(true);
  });
});

describe('the secrets key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-key-'));
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

  it('is made at the first start as a 600 file (its folder 700) and read back the same afterwards', () => {
    const keyFile = join(dir, 'data', 'secret.key');
    const sealed = loadSecretBox({ keyFile }).seal('x');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700);
    expect(readFileSync(keyFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(loadSecretBox({ keyFile }).open(sealed)).toBe('x');
  });

  it('comes from SECRETS_KEY when set (hex or base64), and a wrong length is refused', () => {
    const hex = 'ab'.repeat(32);
    const sealed = loadSecretBox({ key: hex, keyFile: join(dir, 'unused.key') }).seal('y');
    expect(loadSecretBox({ key: Buffer.from(hex, 'hex').toString('base64'), keyFile: join(dir, 'unused.key') }).open(sealed)).toBe('y');
    expect(() => loadSecretBox({ key: 'abcd', keyFile: join(dir, 'unused.key') })).toThrow(SecretsKeyError);
  });
});
