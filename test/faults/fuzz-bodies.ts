/**
 * Generated request bodies for the fuzz pass (fast-check): shapes close to what each route takes
 * with fields of wrong types, random JSON, truncated bodies, invalid UTF-8, Unicode edge cases,
 * huge strings, odd content types, and good, wrong or missing signatures. Test code only.
 */
import fc from 'fast-check';

/** Where a body goes. */
export type FuzzRoute = 'telegram' | 'zalo-oa' | 'web-sign-in' | 'web-send-code' | 'web-messages' | 'web-buttons';

export const FUZZ_ROUTES: readonly FuzzRoute[] = ['telegram', 'zalo-oa', 'web-sign-in', 'web-send-code', 'web-messages', 'web-buttons'];

/** One generated request. */
export interface FuzzBody {
  route: FuzzRoute;
  bytes: Buffer;
  contentType: string | undefined;
  /** good: signed as the platform would (secret, mac, CSRF token); bad: a wrong one; none: absent. */
  signature: 'good' | 'bad' | 'none';
  /** What was done to it, for the report. */
  kind: string;
}

const TRICKY = [
  '\u0000', '\u200b', '\u200d', '\u202e', '\u2066', '\ufeff', '\ud800', '\udfff', '\uffff', '\u{10ffff}', '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}',
  '\u{1f1fb}\u{1f1f3}', 'e\u0301', '\u0300'.repeat(300), 'Ｑ-１', '\r\n', '\\', '"', '</script>', '%00', 'ỵ̛́', 'Q-', '/start', '\t',
];

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.array(fc.constantFrom(...TRICKY), { maxLength: 30 }).map((a) => a.join('')),
  fc.constantFrom('/start', '/start pv-hue-01', '/link 123456', '/help', '/my', '/start ' + 'A'.repeat(300), '123456', 'Xin chào'),
);

/** The value, or (one time in five) any JSON value in its place. */
const loose = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 4, arbitrary: a }, { weight: 1, arbitrary: fc.jsonValue() });
const id = fc.oneof(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer(), fc.double(), fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n }).map(String));

const tgUser = fc.record({ id: loose(id), is_bot: loose(fc.boolean()), first_name: loose(text), language_code: loose(fc.constantFrom('vi', 'en', 'zz', '')) }, { requiredKeys: [] });
const tgMessage = fc.record({
  message_id: loose(id), date: loose(fc.nat()), chat: loose(fc.record({ id: loose(id), type: loose(fc.constantFrom('private', 'group', 'channel', 'x')) })),
  from: loose(tgUser), text: loose(text), caption: loose(text), reply_to_message: loose(fc.record({ message_id: loose(id) })),
  photo: loose(fc.array(fc.record({ file_id: loose(text), file_size: loose(fc.integer()) }), { maxLength: 3 })),
}, { requiredKeys: [] });
const telegram = fc.record({
  update_id: loose(id), message: loose(tgMessage), edited_message: loose(tgMessage),
  callback_query: loose(fc.record({ id: loose(text), from: loose(tgUser), message: loose(tgMessage), data: loose(text) }, { requiredKeys: [] })),
}, { requiredKeys: ['update_id'] });

const zaloUserId = fc.oneof(fc.bigInt({ min: 10n ** 15n, max: 10n ** 19n }).map(String), text);
const zalo = fc.record({
  app_id: loose(fc.constant('1234567890123456789')), user_id_by_app: loose(zaloUserId), timestamp: loose(fc.constantFrom(String(Date.now()), '0', '99999999999999')),
  event_name: loose(fc.constantFrom('user_send_text', 'user_send_image', 'user_send_file', 'follow', 'user_received_message', 'nope')),
  sender: loose(fc.record({ id: loose(zaloUserId) })), recipient: loose(fc.record({ id: loose(zaloUserId) })),
  message: loose(fc.record({
    msg_id: loose(text), text: loose(text), quote_msg_id: loose(text),
    attachments: loose(fc.array(fc.record({ type: loose(text), payload: loose(fc.record({ url: loose(text), size: loose(text), name: loose(text) })) }), { maxLength: 3 })),
  }, { requiredKeys: [] })),
}, { requiredKeys: [] });

const clientId = loose(fc.oneof(fc.uuid(), text));
const templates: Record<FuzzRoute, fc.Arbitrary<unknown>> = {
  telegram, 'zalo-oa': zalo,
  'web-sign-in': fc.record({ code: loose(text), replace: loose(fc.boolean()) }, { requiredKeys: [] }),
  'web-send-code': fc.record({ identifier: loose(text), phone: loose(text), email: loose(text) }, { requiredKeys: [] }),
  'web-messages': fc.record({ text: loose(text), clientId, replyTo: loose(text), files: loose(fc.array(text, { maxLength: 3 })) }, { requiredKeys: [] }),
  'web-buttons': fc.record({ messageId: loose(text), action: loose(text), payload: loose(text), clientId }, { requiredKeys: [] }),
};

type Mutation = 'none' | 'random-json' | 'random-bytes' | 'truncated' | 'invalid-utf8' | 'huge';
const mutation = fc.constantFrom<Mutation>(
  'none', 'none', 'none', 'none', 'none', 'none', 'random-json', 'random-json', 'random-bytes', 'truncated', 'truncated', 'invalid-utf8', 'invalid-utf8', 'huge',
);
const BAD_UTF8 = [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xc0, 0xaf]];
const contentType = fc.constantFrom('application/json', 'application/json', 'application/json', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', undefined);
const signature = fc.constantFrom<FuzzBody['signature']>('good', 'good', 'good', 'bad', 'none');

function serialise(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** `count` bodies, spread over every route in turn; the same seed gives the same bodies. */
export function fuzzBodies(count: number, seed: number): FuzzBody[] {
  const arb = fc.tuple(fc.nat({ max: FUZZ_ROUTES.length - 1 }), mutation, fc.nat(), fc.jsonValue(), fc.uint8Array({ maxLength: 512 }), contentType, signature)
    .chain(([r, m, pos, json, raw, type, sig]) => templates[FUZZ_ROUTES[r]!]!.map((value) => ({ route: FUZZ_ROUTES[r]!, m, pos, json, raw, type, sig, value })));
  return fc.sample(arb, { numRuns: count, seed }).map(({ route, m, pos, json, raw, type, sig, value }) => {
    let bytes = Buffer.from(serialise(value), 'utf8');
    if (m === 'random-json') bytes = Buffer.from(serialise(json), 'utf8');
    if (m === 'random-bytes') bytes = Buffer.from(raw);
    if (m === 'truncated') bytes = bytes.subarray(0, pos % Math.max(1, bytes.length));
    if (m === 'invalid-utf8') {
      const at = pos % Math.max(1, bytes.length);
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(BAD_UTF8[pos % BAD_UTF8.length]!), bytes.subarray(at)]);
    }
    if (m === 'huge') {
      const size = 64 * 1024 * (1 + (pos % 40));
      bytes = Buffer.from(serialise({ ...(typeof value === 'object' && value !== null ? value : {}), text: 'ắ'.repeat(size / 2) }), 'utf8');
    }
    return { route, bytes, contentType: type, signature: sig, kind: m };
  });
}
