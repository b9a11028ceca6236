import { describe, expect, it } from 'vitest';
import { CloseReason, ThreadType, UserMessage, ZaloApiError, type TMessage } from 'zca-js';
import { AuthError, BadRequestError, RateLimitError, TransientError, UnreachableError } from '../../adapters/types.js';
import { cookieFingerprint } from '../../adapters/zalo-personal/credentials.js';
import { isLoginRefusal, toChatError } from '../../adapters/zalo-personal/errors.js';
import { createPacer } from '../../adapters/zalo-personal/pacer.js';
import { parseMessage } from '../../adapters/zalo-personal/parse.js';
import { ZCA_CLOSE, ZCA_THREAD, zaloErrorCode } from '../../adapters/zalo-personal/zca.js';

describe('zalo personal: error table', () => {
  it.each([
    [new ZaloApiError('Không thể nhận tin nhắn từ bạn.', 123), UnreachableError, 'zalo_123_cannot_receive'],
    [new ZaloApiError('chặn người lạ', 122), UnreachableError, 'zalo_122_strangers_blocked'],
    [new ZaloApiError('không nhắn được', 114), UnreachableError, 'zalo_114_not_messageable'],
    [new ZaloApiError('Vượt quá số request cho phép', 221), RateLimitError, undefined],
    [new ZaloApiError('Request failed with status code 429'), RateLimitError, undefined],
    [new ZaloApiError('hết phiên', 102), AuthError, undefined],
    [new ZaloApiError('zpw_sek bị thiếu hoặc không đúng', 600), AuthError, undefined],
    [new ZaloApiError('Request failed with status code 503'), TransientError, undefined],
    [new ZaloApiError('Retry limit', -69), TransientError, undefined],
    [new ZaloApiError('Missing message content'), BadRequestError, undefined],
    [new TypeError('fetch failed'), TransientError, undefined],
  ] as const)('%s → %o', (err, errorClass, reason) => {
    const mapped = toChatError(err, 60_000);
    expect(mapped).toBeInstanceOf(errorClass);
    if (reason) expect((mapped as UnreachableError).reason).toBe(reason);
    if (mapped instanceof RateLimitError) expect(mapped.retryAfterMs).toBe(60_000);
  });
});

describe('zalo personal: pacer', () => {
  it('runs tasks serially in call order with min + jitter gaps, counting failures too', async () => {
    let t = 0;
    const starts: Array<[string, number]> = [];
    const randoms = [0, 0.999, 0.5, 0.25];
    const pace = createPacer({ minIntervalMs: 1200, jitterMs: 400, now: () => t, sleep: async (ms) => { t += ms; }, random: () => randoms.shift() ?? 0 });
    const task = (name: string, fail = false) => () => {
      starts.push([name, t]);
      return fail ? Promise.reject(new Error(name)) : Promise.resolve(name);
    };
    const results = await Promise.allSettled([pace(task('a')), pace(task('b', true)), pace(task('c')), pace(task('d'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(starts).toEqual([['a', 0], ['b', 1200], ['c', 1200 + 1599], ['d', 1200 + 1599 + 1400]]);
  });

  it('does not wait when the last call was long ago', async () => {
    let t = 0;
    let slept = 0;
    const pace = createPacer({ minIntervalMs: 1200, jitterMs: 0, now: () => t, sleep: async (ms) => { slept += ms; t += ms; } });
    await pace(async () => 1);
    t += 5000;
    await pace(async () => 2);
    expect(slept).toBe(0);
  });
});

function data(overrides: Partial<TMessage>): TMessage {
  return {
    actionId: '1', msgId: '7100000000001', cliMsgId: '1700000000000', msgType: 'webchat', uidFrom: '3001', idTo: '0', dName: 'Thư',
    ts: '1700000000000', status: 1, content: 'xin chào', notify: '1', ttl: 0, userId: '0', uin: '0', topOut: '0', topOutTimeOut: '0',
    topOutImprTimeOut: '0', propertyExt: undefined, paramsExt: { countUnread: 1, containType: 0, platformType: 1 }, cmd: 501, st: 3, at: 5,
    realMsgId: '0', quote: undefined, ...overrides,
  };
}

describe('zalo personal: parse', () => {
  it('text, command, quote and non-text content', () => {
    expect(parseMessage(new UserMessage('9', data({})))).toMatchObject({
      kind: 'message', platform: 'zalo_personal', eventId: '3001-1700000000000', chatId: '3001', messageId: '7100000000001', text: 'xin chào', from: { id: '3001', name: 'Thư' },
      at: new Date(1_700_000_000_000),
    });
    expect(parseMessage(new UserMessage('9', data({ content: '/Start  pv-hue-01 ' })))).toMatchObject({ kind: 'command', command: 'start', args: 'pv-hue-01' });
    const quote = { ownerId: '9', cliMsgId: 1, globalMsgId: 7100000000000, cliMsgType: 1, ts: 1, msg: 'q', attach: '', fromD: '', ttl: 0 };
    expect(parseMessage(new UserMessage('9', data({ quote })))).toMatchObject({ replyTo: '7100000000000' });
    expect(parseMessage(new UserMessage('9', data({ content: { title: 'ảnh', description: '', href: '', thumb: '', childnumber: 0, action: '', params: '', type: '' } })))).toMatchObject({ kind: 'message', text: 'ảnh' });
  });

  it('own messages, malformed ones and recalls give a reason, not an event', () => {
    expect(parseMessage(new UserMessage('9', data({ uidFrom: '0', idTo: '3001' })))).toBe('self');
    expect(parseMessage(new UserMessage('9', data({ ts: 'hôm qua' })))).toBe('malformed');
    // As zca-js's old_messages path hands a recall over: a UserMessage whose content is the undo.
    const undo = { globalMsgId: 7100000000001, cliMsgId: 1700000000000, deleteMsg: 1, srcId: 3001, destId: 9 };
    expect(parseMessage(new UserMessage('9', data({ msgType: 'chat.undo', content: undo as unknown as TMessage['content'] })))).toBe('recall');
  });
});

describe('zalo personal: login failures and cookies', () => {
  it.each([
    [new ZaloApiError('Đăng nhập thất bại'), true],
    [new ZaloApiError('Khởi tạo ngữ cảnh thất bại.'), true],
    [new ZaloApiError('Phiên đăng nhập đã hết hạn', 102), true],
    [new ZaloApiError('Failed to fetch login info: Bad Gateway'), false],
    [new ZaloApiError('Failed to fetch server info: Service Unavailable'), false],
    [new TypeError('fetch failed'), false],
    [new SyntaxError('Unexpected token < in JSON'), false],
  ] as const)('%s → refusal %s', (err, refusal) => {
    expect(isLoginRefusal(err)).toBe(refusal);
  });

  it('the cookie fingerprint ignores tough-cookie\'s bookkeeping and the order of the jar', () => {
    const a = { key: 'zpw_sek', value: 's1', domain: 'chat.zalo.me', path: '/', hostOnly: false, creation: '2026-01-01T00:00:00.000Z', lastAccessed: '2026-01-01T00:00:00.000Z' };
    const b = { key: 'zpsid', value: 'p1', domain: 'zalo.me', path: '/' };
    expect(cookieFingerprint([a, b])).toBe(cookieFingerprint([b, { ...a, lastAccessed: '2026-12-04T00:00:00.000Z', creation: 'x' }]));
    expect(cookieFingerprint([a, b])).not.toBe(cookieFingerprint([{ ...a, value: 's2' }, b]));
    expect(cookieFingerprint([a])).not.toBe(cookieFingerprint([{ ...a, expires: '2027-01-01T00:00:00.000Z' }]));
  });
});

describe('the zca-js seam without loading zca-js', () => {
  it('its close codes and thread types are zca-js\'s own values', () => {
    expect(ZCA_CLOSE).toEqual({ manual: CloseReason.ManualClosure, abnormal: CloseReason.AbnormalClosure, duplicate: CloseReason.DuplicateConnection, kicked: CloseReason.KickConnection });
    expect(ZCA_THREAD).toEqual({ user: ThreadType.User, group: ThreadType.Group });
  });

  it('reads the code of a zca-js ZaloApiError, and nothing from other errors', () => {
    expect(zaloErrorCode(new ZaloApiError('blocked', 123))).toBe(123);
    expect(zaloErrorCode(new ZaloApiError('no code'))).toBeNull();
    expect(zaloErrorCode(new Error('network'))).toBeUndefined();
    expect(zaloErrorCode({ name: 'ZcaApiError', code: 123 })).toBeUndefined();
  });
});
