/**
 * Fault 1 of issue #10 end to end: the whole bot (as `npm start` builds it, Telegram polling
 * against the fake Bot API) on a PostgreSQL server of the test's own, which is stopped (every
 * connection terminated, as in a restart or failover) and started again. The process stays up,
 * /healthz says 503 while the database is away and 200 after, and what users wrote meanwhile is
 * processed once each, without a restart.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';
import { privatePostgresAvailable, startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.runIf(privatePostgresAvailable())('PostgreSQL stopped and started under a running bot', () => {
  let server: PrivatePostgres | undefined;
  let e: E2E | undefined;
  const lines: string[] = [];

  beforeAll(async () => {
    server = await startPrivatePostgres();
    const admin = new pg.Client({ connectionString: server.urlFor('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE bot');
    await admin.end();
    e = await createE2E({ env: { DATABASE_URL: `${server.urlFor('bot')}?application_name=liaison-outage-test` }, logLines: lines });
  });
  afterAll(async () => {
    await e?.close();
    await server?.destroy();
  });

  const health = async () => {
    const res = await fetch(`http://127.0.0.1:${e!.app.httpPort}/healthz`);
    return { status: res.status, body: await res.json() as { ok: boolean; database: string } };
  };
  const logged = (msg: string) => lines.filter((l) => l.includes(`"msg":"${msg}`)).length;

  it('stays up, reports the outage on /healthz, and answers what was written meanwhile once', async () => {
    const before = tgUser('Trước');
    const during = [tgUser('Trong'), tgUser('Lúc')];
    expect(await health()).toMatchObject({ status: 200, body: { ok: true, database: 'available' } });
    await e!.say(before, 'Xin chào', 'chưa đăng ký');

    await server!.stop();
    expect(await until(async () => { const h = await health(); return h.status === 503 ? h : undefined; }, '/healthz to say 503'))
      .toMatchObject({ body: { ok: false, database: 'unavailable' } });
    // The web page's API says so too, politely and in both languages, instead of a bare 500.
    const web = await fetch(`http://127.0.0.1:${e!.app.httpPort}/web/api/session`, { headers: { cookie: `liaison_session=${randomBytes(32).toString('base64url')}` } });
    expect(web.status).toBe(503);
    expect(await web.json()).toMatchObject({ error: 'database_unavailable', message_vi: expect.stringContaining('cơ sở dữ liệu'), message_en: expect.stringContaining('database') });
    const sentBefore = e!.fake.sent.length;
    for (const user of during) e!.fake.userSends(user, 'Xin chào');
    // The bot tried to store them and could not (Telegram keeps them until the offset moves).
    await until(() => (logged('telegram update not persisted') >= 2 ? true : undefined), 'a refused update');
    expect(e!.fake.sent.length).toBe(sentBefore);

    await server!.start();
    await until(async () => ((await health()).status === 200 ? true : undefined), '/healthz to say 200 again');
    for (const user of during) await e!.nextTo(user, sentBefore, 'chưa đăng ký');
    await until(() => (logged('reconciled in place') >= 1 ? true : undefined), 'the in-place reconciliation');

    // Once each, and the earlier chat is untouched; the same process did all of it.
    await e!.say(before, 'Xin chào lần nữa', 'chưa đăng ký');
    for (const user of during) expect(e!.sentTo(user, 'chưa đăng ký')).toHaveLength(1);
    expect(e!.sentTo(before, 'chưa đăng ký')).toHaveLength(2);
    expect(logged('database unavailable; work waits')).toBeGreaterThanOrEqual(1);
    expect(logged('database available again')).toBeGreaterThanOrEqual(1);
  });

  it("survives its backends being terminated (pg_terminate_backend, a pooler's idle timeout) and goes on", async () => {
    const user = tgUser('Sau');
    const admin = new pg.Client({ connectionString: server!.urlFor('postgres') });
    await admin.connect();
    try {
      const lost = logged('database connection lost');
      const r = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'liaison-outage-test'");
      expect(r.rowCount).toBeGreaterThanOrEqual(1);
      await until(() => (logged('database connection lost') > lost ? true : undefined), 'the pool to notice');
      await e!.say(user, 'Xin chào', 'chưa đăng ký');
      expect((await health()).status).toBe(200);
      expect(e!.sentTo(user, 'chưa đăng ký')).toHaveLength(1);
    } finally {
      await admin.end();
    }
  });
});
