import { describe, expect, it } from 'vitest';
import type { InboundEvent, WebhookRequest } from '../../adapters/types.js';
import { fromOaFailure, REASON_OUTSIDE_WINDOW } from '../../adapters/zalo-oa/errors.js';
import { parseJsonLossless } from '../../adapters/zalo-oa/json.js';
import { computeZaloSignature } from '../../adapters/zalo-oa/signature.js';
import { createZaloWebhookHandler } from '../../adapters/zalo-oa/webhook.js';
import { toZnsPhone } from '../../adapters/zalo-oa/zns.js';
import { REPLY_WINDOW_CLOSED_REASON } from '../../src/delivery/window.js';
import { createCapturedLogger } from '../fakes/telegram/harness.js';

const APP = '1234567890123456789';
const SECRET = 'oa-secret';
const NOW = new Date('2026-11-23T03:00:00.000Z');
const USER = '2468458835296197922';

const LATE_LIMIT_MS = 24 * 3_600_000;

function handler() {
  const stored: InboundEvent[] = [];
  const parsed: string[] = [];
  const { logger, lines } = createCapturedLogger();
  const handle = createZaloWebhookHandler({
    appId: APP, oaSecretKey: SECRET, lateEventMaxAgeMs: LATE_LIMIT_MS, now: () => NOW, logger, isReceiving: () => true,
    onEvent: async (e) => { stored.push(e); },
    parse: (text) => { parsed.push(text); return parseJsonLossless(text); },
  });
  return { handle, stored, lines, parsed };
}

function textBody(text: string, at = NOW, extra: Record<string, unknown> = {}): { raw: string; ts: string } {
  const ts = String(at.getTime());
  return { ts, raw: JSON.stringify({ app_id: APP, event_name: 'user_send_text', timestamp: ts, sender: { id: USER }, recipient: { id: '99' }, message: { text, msg_id: 'abc123', ...extra } }) };
}

const req = (raw: string, headers: Record<string, string | undefined>): WebhookRequest => ({ rawBody: Buffer.from(raw), headers });
const sign = (raw: string, ts: string, secret = SECRET) => computeZaloSignature(APP, raw, ts, secret);

describe('zalo-oa webhook', () => {
  it('accepts a signed event, with or without the mac= prefix', async () => {
    const { handle, stored } = handler();
    const { raw, ts } = textBody('xin chào');
    expect((await handle(req(raw, { 'x-zevent-signature': `mac=${sign(raw, ts)}` }))).status).toBe(200);
    expect((await handle(req(raw, { 'x-zevent-signature': sign(raw, ts).toUpperCase() }))).status).toBe(200);
    expect(stored.map((e) => e.kind === 'message' && e.text)).toEqual(['xin chào', 'xin chào']);
    expect(stored[0]).toMatchObject({ platform: 'zalo_oa', eventId: 'abc123', chatId: USER, from: { id: USER }, at: NOW });
  });

  it('missing, wrong, or other-secret signatures get 401 and store nothing', async () => {
    const { handle, stored } = handler();
    const { raw, ts } = textBody('giả mạo');
    const tampered = raw.replace('giả mạo', 'gia mao');
    const statuses = await Promise.all([
      handle(req(raw, {})),
      handle(req(raw, { 'x-zevent-signature': 'mac=deadbeef' })),
      handle(req(raw, { 'x-zevent-signature': `mac=${sign(raw, ts, 'app-secret-not-oa')}` })),
      handle(req(tampered, { 'x-zevent-signature': `mac=${sign(raw, ts)}` })),
    ]);
    expect(statuses.map((s) => s.status)).toEqual([401, 401, 401, 401]);
    expect(stored).toEqual([]);
  });

  it('takes the timestamp from X-ZEvent-Timestamp when the body has none', async () => {
    const { handle, stored } = handler();
    const ts = String(NOW.getTime());
    const raw = JSON.stringify({ app_id: APP, event_name: 'user_send_text', sender: { id: USER }, message: { text: 'hi', msg_id: 'm1' } });
    expect((await handle(req(raw, { 'x-zevent-signature': sign(raw, ts), 'x-zevent-timestamp': ts }))).status).toBe(200);
    expect(stored).toHaveLength(1);
  });

  it('unsigned bodies are refused before anything parses them; signed ones are parsed once', async () => {
    const { handle, stored, parsed } = handler();
    const { raw, ts } = textBody('x'.repeat(60_000));
    for (const headers of [{}, { 'x-zevent-signature': 'mac=deadbeef' }, { 'x-zevent-signature': `mac=${sign(raw, ts, 'wrong')}` }]) {
      expect((await handle(req(raw, headers))).status).toBe(401);
    }
    expect(parsed).toEqual([]);
    expect((await handle(req(raw, { 'x-zevent-signature': sign(raw, ts) }))).status).toBe(200);
    expect(parsed).toHaveLength(1);
    expect(stored).toHaveLength(1);
  });

  it('finds the signed timestamp among a few candidates without parsing (a nested "timestamp" first)', async () => {
    const { handle, stored } = handler();
    const ts = String(NOW.getTime());
    const raw = JSON.stringify({
      app_id: APP, event_name: 'user_send_text', sender: { id: USER },
      message: { text: 'hi', msg_id: 'm2', attachments: [{ payload: { timestamp: '1700000000000' } }] }, timestamp: ts,
    });
    expect((await handle(req(raw, { 'x-zevent-signature': sign(raw, ts) }))).status).toBe(200);
    expect(stored[0]).toMatchObject({ eventId: 'm2', at: NOW });
  });

  it('signed events delivered hours late are processed; older than the limit they are acknowledged and dropped', async () => {
    const { handle, stored, lines } = handler();
    const late = textBody('gửi lúc Zalo chưa giao được', new Date(NOW.getTime() - 9 * 3_600_000), {});
    expect((await handle(req(late.raw, { 'x-zevent-signature': sign(late.raw, late.ts) }))).status).toBe(200);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.at).toEqual(new Date(Number(late.ts)));
    const tooOld = JSON.parse(textBody('quá cũ', new Date(NOW.getTime() - LATE_LIMIT_MS - 60_000)).raw) as Record<string, unknown>;
    (tooOld.message as Record<string, unknown>).msg_id = 'old-1';
    const oldRaw = JSON.stringify(tooOld);
    const response = await handle(req(oldRaw, { 'x-zevent-signature': sign(oldRaw, String(tooOld.timestamp)) }));
    expect(response.status).toBe(200);
    expect(stored).toHaveLength(1);
    expect(lines.some((l) => l.includes('ZALO_OA_LATE_EVENT_MAX_HOURS') && l.includes('old-1'))).toBe(true);
  });

  it('a signed event dated ahead of our clock is processed, with a warning about the clocks', async () => {
    const { handle, stored, lines } = handler();
    const { raw, ts } = textBody('đồng hồ lệch', new Date(NOW.getTime() + 30 * 60_000));
    expect((await handle(req(raw, { 'x-zevent-signature': sign(raw, ts) }))).status).toBe(200);
    expect(stored).toHaveLength(1);
    expect(lines.some((l) => l.includes('ahead of our clock'))).toBe(true);
  });

  it('an unsigned request carrying no event (a console test call) gets 200 and stores nothing', async () => {
    const { handle, stored, parsed } = handler();
    for (const raw of ['', '{}', '{"test":"webhook"}']) {
      expect((await handle(req(raw, {}))).status).toBe(200);
      expect((await handle(req(raw, { 'x-zevent-signature': 'mac=00' }))).status).toBe(200);
    }
    expect(stored).toEqual([]);
    expect(parsed).toEqual([]);
  });

  it('commands, quotes and ignored events', async () => {
    const { handle, stored, lines } = handler();
    const cmd = textBody('/Answer  Q-42 ');
    const quoted = textBody('Hỏi thêm', NOW, { quote_msg_id: 'oa-msg-7' });
    const ts = String(NOW.getTime());
    const seen = JSON.stringify({ app_id: APP, event_name: 'user_seen_message', timestamp: ts, sender: { id: USER }, message: { msg_ids: ['x'] } });
    for (const [raw, t] of [[cmd.raw, cmd.ts], [quoted.raw, quoted.ts], [seen, ts]] as const) {
      expect((await handle(req(raw, { 'x-zevent-signature': sign(raw, t) }))).status).toBe(200);
    }
    expect(stored[0]).toMatchObject({ kind: 'command', command: 'answer', args: 'Q-42' });
    expect(stored[1]).toMatchObject({ kind: 'message', text: 'Hỏi thêm', replyTo: 'oa-msg-7' });
    expect(stored).toHaveLength(2);
    expect(lines.some((l) => l.includes('user_seen_message'))).toBe(true);
  });

  it('a failed store answers 500 so Zalo retries', async () => {
    const { logger } = createCapturedLogger();
    const handle = createZaloWebhookHandler({ appId: APP, oaSecretKey: SECRET, lateEventMaxAgeMs: LATE_LIMIT_MS, now: () => NOW, logger, isReceiving: () => true, onEvent: () => Promise.reject(new Error('db down')) });
    const { raw, ts } = textBody('x');
    expect((await handle(req(raw, { 'x-zevent-signature': sign(raw, ts) }))).status).toBe(500);
  });
});

describe('zalo-oa helpers', () => {
  it('parses big integer ids losslessly, leaving strings and small numbers alone', () => {
    const parsed = parseJsonLossless('{"id":2468458835296197922,"n":42,"f":1.5,"t":"a: 12345678901234567890,","neg":-9007199254740993}') as Record<string, unknown>;
    expect(parsed).toEqual({ id: '2468458835296197922', n: 42, f: 1.5, t: 'a: 12345678901234567890,', neg: '-9007199254740993' });
  });

  it('the outbox recognises the adapter\'s window reason', () => {
    expect(fromOaFailure({ code: -230, message: 'x', httpStatus: 200 })).toMatchObject({ reason: REASON_OUTSIDE_WINDOW });
    expect(REASON_OUTSIDE_WINDOW).toBe(REPLY_WINDOW_CLOSED_REASON);
  });

  it('rate and transport failures', () => {
    expect(fromOaFailure({ code: -32, message: 'rate', httpStatus: 200, retryAfterMs: 3000 })).toMatchObject({ name: 'RateLimitError', retryAfterMs: 3000 });
    expect(fromOaFailure({ code: 0, message: 'Bad Gateway', httpStatus: 502 })).toMatchObject({ name: 'TransientError' });
    expect(fromOaFailure({ code: -220, message: 'expired', httpStatus: 200 })).toMatchObject({ name: 'TokenRejectedError', code: 'auth' });
  });

  it('normalises phone numbers for ZNS', () => {
    expect(['0912345678', '+84912345678', '84 912 345 678', '12345'].map(toZnsPhone)).toEqual(['84912345678', '84912345678', '84912345678', undefined]);
  });
});
