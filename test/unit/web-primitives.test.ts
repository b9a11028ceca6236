import { describe, expect, it } from 'vitest';
import { createChannel } from '../../adapters/web/channel.js';
import { clientAddress, isCrossOrigin, parseJsonBody, readCookie, sessionCookie, slotPaths, toLanguageCode, tokensMatch } from '../../adapters/web/http.js';
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
    expect(sessionCookie(slotPaths(0), 'abc', false, 60)).toBe('liaison_session=abc; Path=/web/api; HttpOnly; SameSite=Lax; Max-Age=60');
    expect(sessionCookie(slotPaths(0), '', true, 60)).toBe('liaison_session=; Path=/web/api; HttpOnly; SameSite=Lax; Secure; Max-Age=0');
    expect(sessionCookie(slotPaths(3), 'abc', false, 60)).toBe('liaison_session_3=abc; Path=/web/u/3/api; HttpOnly; SameSite=Lax; Max-Age=60');
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
    // U+0000 (which PostgreSQL text cannot store) is dropped from every string, at any depth.
    expect(parseJsonBody(request('{"text":"\\u0000a\\u0000b","files":["c\\u0000"]}'))).toEqual({ body: { text: 'ab', files: ['c'] } });
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

  it('tells a cross-site request by Sec-Fetch-Site or Origin; a request with neither passes (the CSRF token guards it)', () => {
    const req = (headers: Record<string, string>): HttpRequest => ({ headers: { host: 'bot.local:8080', ...headers }, rawBody: Buffer.alloc(0), query: {}, ip: '10.0.0.1' });
    const botLocal = (host: string | undefined) => host === 'bot.local:8080';
    expect(isCrossOrigin(req({}), [])).toBe(false);
    expect(isCrossOrigin(req({ origin: 'http://bot.local:8080', 'sec-fetch-site': 'same-origin' }), [], botLocal)).toBe(false);
    // The Host header is the requester's word: a name not known to be ours does not make its Origin ours (DNS rebinding).
    expect(isCrossOrigin(req({ origin: 'http://bot.local:8080', 'sec-fetch-site': 'same-origin' }), [])).toBe(true);
    expect(isCrossOrigin(req({ host: '192.168.1.5:8080', origin: 'http://192.168.1.5:8080' }), [])).toBe(false);
    expect(isCrossOrigin(req({ 'sec-fetch-site': 'cross-site' }), [])).toBe(true);
    expect(isCrossOrigin(req({ 'sec-fetch-site': 'same-site' }), [])).toBe(true);
    expect(isCrossOrigin(req({ origin: 'https://evil.example' }), [])).toBe(true);
    expect(isCrossOrigin(req({ origin: 'null' }), [])).toBe(true);
    expect(isCrossOrigin(req({ origin: 'https://lienlac.hue.gov.vn' }), ['https://lienlac.hue.gov.vn'])).toBe(false);
  });

  it('keys on the socket address unless told to trust the proxy, then on the last X-Forwarded-For entry', () => {
    const req: HttpRequest = { headers: { 'x-forwarded-for': '1.2.3.4, 203.0.113.7' }, rawBody: Buffer.alloc(0), query: {}, ip: '127.0.0.1' };
    expect(clientAddress(req, false)).toBe('127.0.0.1');
    expect(clientAddress(req, true)).toBe('203.0.113.7');
    expect(clientAddress({ ...req, headers: {} }, true)).toBe('127.0.0.1');
  });
});
