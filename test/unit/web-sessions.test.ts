import { describe, expect, it } from 'vitest';
import { createSessionStore, toSseMessage } from '../../adapters/web/sessions.js';

describe('web sessions', () => {
  it('creates unguessable ids and finds a session by cookie and by owner', () => {
    const store = createSessionStore({ idleTimeoutMs: 1000, maxTimelineEntries: 10 });
    const a = store.create(0, 'vi');
    const b = store.create(0);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.ownerId).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set([a.id, b.id, a.csrfToken, b.csrfToken]).size).toBe(4);
    expect(store.get(a.id, 10)).toBe(a);
    expect(store.byOwner(b.ownerId, 10)).toBe(b);
    expect(store.get('nope', 10)).toBeUndefined();
  });

  it('expires an idle session, but not while a stream is open', () => {
    const store = createSessionStore({ idleTimeoutMs: 1000, maxTimelineEntries: 10 });
    const a = store.create(0);
    const stream = store.openStream(a, () => 5000);
    expect(store.byOwner(a.ownerId, 5000)).toBe(a);
    stream.close();
    expect(store.get(a.id, 5900)).toBe(a);
    expect(store.get(a.id, 6901)).toBeUndefined();
    expect(store.byOwner(a.ownerId, 6901)).toBeUndefined();
  });

  it('numbers timeline entries per chat, trims the oldest, and pushes to open streams', async () => {
    const store = createSessionStore({ idleTimeoutMs: 1000, maxTimelineEntries: 2 });
    const a = store.create(0);
    const b = store.create(0);
    const stream = store.openStream(a, () => 0);
    const first = store.append(a, { from: 'user', text: 'một', at: '2026-11-20T02:00:00.000Z' });
    store.append(a, { from: 'bot', text: 'hai', at: '2026-11-20T02:00:00.000Z', replyTo: first.id });
    store.append(a, { from: 'bot', text: 'ba', at: '2026-11-20T02:00:00.000Z' });
    expect(store.append(b, { from: 'user', text: 'x', at: '2026-11-20T02:00:00.000Z' }).id).toBe('1');
    expect(a.timeline.map((e) => [e.id, e.text])).toEqual([['2', 'hai'], ['3', 'ba']]);
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toBe(toSseMessage(first));
    expect(toSseMessage(first)).toBe(`id: 1\nevent: message\ndata: {"id":"1","from":"user","text":"một","at":"2026-11-20T02:00:00.000Z"}\n\n`);
    store.delete(a);
    expect((await iterator.next()).done).toBe(true);
    expect(store.byOwner(a.ownerId, 0)).toBeUndefined();
  });
});
