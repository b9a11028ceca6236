import { describe, expect, it } from 'vitest';
import { createChannel } from '../../adapters/web/channel.js';
import { parseJsonBody, readCookie, sessionCookie, toLanguageCode, tokensMatch } from '../../adapters/web/http.js';
import { createRateLimiter } from '../../adapters/web/rate-limit.js';
import type { HttpRequest } from '../../adapters/types.js';

const request = (body: string | Buffer, contentType = 'application/json'): HttpRequest => ({
  headers: { 'content-type': contentType }, rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body), query: {}, ip: '127.0.0.1',
});

describe('web channel primitives', () => {
  it('a channel delivers queued and later chunks, and return() ends a pending read at once', async () => {
    let closes = 0;
    const channel = createChannel(() => { closes += 1; });
    channel.push('a');
    const iterator = channel[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ done: false, value: 'a' });
    const pending = iterator.next();
    channel.push('b');
    expect(await pending).toEqual({ done: false, value: 'b' });
    const waiting = iterator.next();
    await iterator.return?.();
    expect(await waiting).toEqual({ done: true, value: undefined });
    channel.push('ignored');
    channel.close();
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(closes).toBe(1);
    expect(channel.closed).toBe(true);
  });

  it('the rate limiter allows max per window per key and says when to retry', () => {
    const limiter = createRateLimiter({ max: 2, windowMs: 60_000 });
    expect(limiter.hit('a', 0)).toEqual({ ok: true });
    expect(limiter.hit('a', 10_000)).toEqual({ ok: true });
    expect(limiter.hit('a', 15_000)).toEqual({ ok: false, retryAfterMs: 45_000 });
    expect(limiter.hit('b', 15_000)).toEqual({ ok: true });
    expect(limiter.hit('a', 60_000)).toEqual({ ok: true });
  });

  it('reads cookies and builds the session cookie', () => {
    expect(readCookie('a=1; liaison_session=xyz; b=2', 'liaison_session')).toBe('xyz');
    expect(readCookie('xliaison_session=1', 'liaison_session')).toBeUndefined();
    expect(readCookie(undefined, 'liaison_session')).toBeUndefined();
    expect(sessionCookie('abc', false)).toBe('liaison_session=abc; Path=/; HttpOnly; SameSite=Lax');
    expect(sessionCookie('', true)).toBe('liaison_session=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0');
  });

  it('compares tokens exactly', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
    expect(tokensMatch('abd', 'abc')).toBe(false);
    expect(tokensMatch('ab', 'abc')).toBe(false);
    expect(tokensMatch(undefined, 'abc')).toBe(false);
    expect(tokensMatch('', '')).toBe(false);
  });

  it('parses JSON object bodies and refuses the rest with the right status', () => {
    expect(parseJsonBody(request('{"text":"à"}'))).toEqual({ body: { text: 'à' } });
    expect(parseJsonBody(request('{"a":1}', 'application/json; charset=utf-8'))).toEqual({ body: { a: 1 } });
    const status = (req: HttpRequest) => { const r = parseJsonBody(req); return 'refusal' in r ? r.refusal.status : 200; };
    expect(status(request(Buffer.alloc(16 * 1024 + 1, 32)))).toBe(413);
    expect(status(request('{}', 'text/plain'))).toBe(415);
    expect(status(request('{'))).toBe(400);
    expect(status(request('null'))).toBe(400);
    const refusal = parseJsonBody(request('{')) as { refusal: { body: string } };
    expect(JSON.parse(refusal.refusal.body)).toEqual({ error: 'bad_json', message_vi: expect.any(String), message_en: expect.any(String) });
  });

  it('takes the first Accept-Language tag', () => {
    expect(toLanguageCode('vi-VN,vi;q=0.9')).toBe('vi-VN');
    expect(toLanguageCode('en;q=0.8')).toBe('en');
    expect(toLanguageCode('*')).toBeUndefined();
    expect(toLanguageCode(undefined)).toBeUndefined();
  });
});
