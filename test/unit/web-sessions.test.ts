import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLiveStreams, toSseMessage } from '../../adapters/web/live.js';
import { createSessionManager, hashToken } from '../../adapters/web/sessions.js';
import { createWebStore } from '../../db/repositories/web.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';


describe.each(testDialects())('web sessions and timelines in the database (%s)', (dialect) => {
  let db: TestDb;
  let clockMs = Date.parse('2026-11-20T02:00:00Z');
  beforeEach(async () => { db = await createTestDb(dialect); });
  afterEach(async () => { await db.drop(); });
  const manager = () => createSessionManager({ store: createWebStore(db.db), idleTimeoutMs: 1000, maxAgeMs: 10_000, now: () => clockMs });

  it('stores only a hash of the token; a second manager (another process) finds the session', async () => {
    const { token, session } = await manager().create(undefined, 0, 'vi');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.ownerId).toMatch(/^[0-9a-f]{32}$/);
    expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.csrfToken).not.toBe(token);
    const rows = await db.db.selectFrom('web_sessions').selectAll().execute();
    expect(rows).toEqual([expect.objectContaining({ token_hash: hashToken(token), owner_id: session.ownerId, language_code: 'vi' })]);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(await manager().get(token, 0)).toEqual(session);
    expect(await manager().get('x'.repeat(43), 0)).toBeUndefined();
  });

  it('expires after the idle timeout unless touched, and at the absolute end regardless', async () => {
    const m = manager();
    const { token, session } = await m.create('owner-1', 0);
    clockMs += 900;
    expect(await m.get(token, 0)).toBeDefined();
    clockMs += 900;
    await m.touch(session);
    expect(await m.isLive('owner-1')).toBe(true);
    clockMs += 1001;
    expect(await m.isLive('owner-1')).toBe(false);
    expect(await m.get(token, 0)).toBeUndefined();
    const again = await m.create('owner-1', 0);
    for (let i = 0; i < 12; i += 1) {
      clockMs += 900;
      await m.touch(again.session);
    }
    expect(await m.get(again.token, 0)).toBeUndefined();
  });

  it('numbers entries per chat, stores a client id once, and pushes entries to live streams in order', async () => {
    const store = createWebStore(db.db);
    const at = new Date(clockMs).toISOString();
    const first = await store.appendMessage({ chatId: 'a', from: 'user', text: 'một', clientId: 'c1', at });
    expect(first).toEqual({ created: true, entry: { id: '1', rev: '1', from: 'user', text: 'một', at } });
    expect((await store.appendMessage({ chatId: 'a', from: 'user', text: 'một', clientId: 'c1', at })).created).toBe(false);
    expect((await store.appendMessage({ chatId: 'b', from: 'bot', text: 'khác', at })).entry.id).toBe('1');
    const errors: unknown[] = [];
    const live = createLiveStreams({ store, now: () => clockMs, pollMs: 20, onError: (err) => { errors.push(err); } });
    const { session } = await manager().create('a', 0);
    const stream = live.open('a', 1, session.tokenHash, () => undefined);
    const iterator = stream[Symbol.asyncIterator]();
    // Another process writes (no wake): the poll finds it.
    await store.appendMessage({ chatId: 'a', from: 'bot', text: 'hai', replyTo: '1', buttons: [[{ label: 'OK', action: 'ok', payload: '1' }]], at });
    const second = (await iterator.next()).value as string;
    expect(second.startsWith('id: 2\nevent: message\ndata: ')).toBe(true);
    expect(JSON.parse(second.split('data: ')[1]!)).toEqual({ id: '2', rev: '2', from: 'bot', text: 'hai', replyTo: '1', buttons: [[{ label: 'OK', action: 'ok', payload: '1' }]], at });
    expect(toSseMessage({ id: '7', rev: '9', from: 'user', text: 'x', at })).toBe(`id: 9\nevent: message\ndata: {"id":"7","rev":"9","from":"user","text":"x","at":"${at}"}\n\n`);
    await store.appendMessage({ chatId: 'a', from: 'bot', text: 'ba', at });
    live.wake();
    expect((await iterator.next()).value).toContain('"text":"ba"');
    // An edit is a new change of the same entry: pushed again, with the next change number.
    const edited = await store.editMessage('a', '2', { text: 'hai (sửa)', at: 'later' });
    expect(edited).toMatchObject({ id: '2', rev: '4', text: 'hai (sửa)', editedAt: 'later' });
    expect(edited?.buttons).toBeUndefined();
    live.wake();
    expect((await iterator.next()).value).toMatch(/^id: 4\nevent: message\ndata: \{"id":"2","rev":"4"/);
    expect(await store.editMessage('a', '1', { text: 'not the bot\'s', at })).toBeUndefined();
    expect(await store.editMessage('a', '99', { text: 'none', at })).toBeUndefined();
    expect((await store.listChanges('a', 2, 10)).map((e) => [e.id, e.rev])).toEqual([['3', '3'], ['2', '4']]);
    live.closeAll();
    expect((await iterator.next()).done).toBe(true);
    expect(errors).toEqual([]);
    expect((await store.listMessages('a', 1, 10)).map((e) => e.id)).toEqual(['2', '3']);
    expect(await store.lastRev('a')).toBe(4);
    expect((await store.latestMessages('a', 2)).map((e) => e.id)).toEqual(['2', '3']);
  });
});
