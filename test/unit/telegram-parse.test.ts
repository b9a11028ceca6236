import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeUpdate, parseUpdate, toCallbackQueryId } from '../../adapters/telegram/parse.js';

const NOW = new Date('2026-03-02T03:04:05.000Z');
const DATE_S = 1772420645; // 2026-03-02T03:04:05Z

// Shapes as recorded from the Bot API (ids and names changed).
const from = { id: 5123456789, is_bot: false, first_name: 'Lan', last_name: 'Nguyễn', username: 'lan_vnexpress', language_code: 'vi' };
const privateChat = { id: 5123456789, first_name: 'Lan', last_name: 'Nguyễn', username: 'lan_vnexpress', type: 'private' };
const botFrom = { id: 7000001, is_bot: true, first_name: 'Liaison', username: 'liaison_bot' };

function messageUpdate(message: Record<string, unknown>, updateId: unknown = 731094001): Record<string, unknown> {
  return { update_id: updateId, message: { message_id: 812, from, chat: privateChat, date: DATE_S, ...message } };
}

const textUpdate = messageUpdate({ text: 'Xin chào Sở Y tế' });
const commandUpdate = messageUpdate({ text: '/Hoi@liaison_bot   lịch tiêm chủng\ntuần tới  ', entities: [{ offset: 0, length: 16, type: 'bot_command' }] });
const replyUpdate = messageUpdate({
  text: 'Cảm ơn',
  reply_to_message: { message_id: 811, from: botFrom, chat: privateChat, date: DATE_S - 60, text: 'Câu trả lời' },
});
const photoUpdate = messageUpdate({ photo: [{ file_id: 'AgAC', file_unique_id: 'AQAD', width: 90, height: 90 }], caption: 'Ảnh hiện trường' });
const stickerUpdate = messageUpdate({ sticker: { file_id: 'CAAC', file_unique_id: 'AgAD', type: 'regular', width: 512, height: 512 } });
const callbackUpdate = {
  update_id: 731094002,
  callback_query: {
    id: '2200475910837146337', from, chat_instance: '-6785432155478', data: 'ans|inq-42',
    message: { message_id: 813, from: botFrom, chat: privateChat, date: DATE_S - 5, text: 'Câu hỏi mới', reply_markup: { inline_keyboard: [[{ text: 'Trả lời', callback_data: 'ans|inq-42' }]] } },
  },
};

describe('parseUpdate: supported updates', () => {
  it('normalises a private text message', () => {
    expect(parseUpdate(textUpdate, NOW)).toEqual({
      platform: 'telegram', kind: 'message', eventId: '731094001', messageId: '812', chatId: '5123456789',
      from: { id: '5123456789', name: 'Lan Nguyễn', username: 'lan_vnexpress', languageCode: 'vi' },
      at: new Date(DATE_S * 1000), text: 'Xin chào Sở Y tế', raw: textUpdate,
    });
  });

  it('turns /Command@bot args into a lower-case command with trimmed args', () => {
    expect(parseUpdate(commandUpdate, NOW)).toMatchObject({ kind: 'command', command: 'hoi', args: 'lịch tiêm chủng\ntuần tới', messageId: '812' });
  });

  it.each([
    ['/start', 'start', ''],
    ['/start inv_AbC-123', 'start', 'inv_AbC-123'],
    ['/HELP@Liaison_Bot', 'help', ''],
  ])('parses %j as a command', (text, command, args) => {
    expect(parseUpdate(messageUpdate({ text }), NOW)).toMatchObject({ kind: 'command', command, args });
  });

  it.each(['/', '/ hỏi gì đó', '/@liaison_bot'])('keeps %j as a plain message', (text) => {
    expect(parseUpdate(messageUpdate({ text }), NOW)).toMatchObject({ kind: 'message', text });
  });

  it('carries replyTo from reply_to_message', () => {
    expect(parseUpdate(replyUpdate, NOW)).toMatchObject({ kind: 'message', replyTo: '811' });
  });

  it('ignores a malformed reply_to_message rather than the whole message', () => {
    const event = parseUpdate(messageUpdate({ text: 'a', reply_to_message: { message_id: 'x' } }), NOW);
    expect(event).toMatchObject({ kind: 'message', text: 'a' });
    expect(event?.replyTo).toBeUndefined();
  });

  it('uses the caption as text for media, empty text without one, and never makes a command of a caption', () => {
    expect(parseUpdate(photoUpdate, NOW)).toMatchObject({ kind: 'message', text: 'Ảnh hiện trường' });
    expect(parseUpdate(stickerUpdate, NOW)).toMatchObject({ kind: 'message', text: '' });
    expect(parseUpdate(messageUpdate({ photo: [], caption: '/start' }), NOW)).toMatchObject({ kind: 'message', text: '/start' });
  });

  it('decodes our callback data into a button event dated now', () => {
    expect(parseUpdate(callbackUpdate, NOW)).toEqual({
      platform: 'telegram', kind: 'button', eventId: '731094002', messageId: '813', chatId: '5123456789',
      from: { id: '5123456789', name: 'Lan Nguyễn', username: 'lan_vnexpress', languageCode: 'vi' },
      at: NOW, action: 'ans', payload: 'inq-42', raw: callbackUpdate,
    });
  });

  it('keeps a huge text intact', () => {
    const text = 'Đường vành đai 3 '.repeat(12_000);
    expect(parseUpdate(messageUpdate({ text }), NOW)).toMatchObject({ kind: 'message', text });
  });

  it('gives an empty name and no optional fields when the sender has only an id', () => {
    expect(parseUpdate(messageUpdate({ text: 'x', from: { id: 9, is_bot: false } }), NOW)?.from).toEqual({ id: '9', name: '' });
  });
});

describe('parseUpdate: unsupported or malformed updates give undefined', () => {
  const withCallback = (change: Record<string, unknown>) => ({ ...callbackUpdate, callback_query: { ...callbackUpdate.callback_query, ...change } });
  const cases: Array<[string, unknown]> = [
    ['null', null],
    ['an array', [textUpdate]],
    ['a string', 'update'],
    ['a string update_id', { ...textUpdate, update_id: '731094001' }],
    ['no update_id', { message: textUpdate.message }],
    ['a fractional update_id', { ...textUpdate, update_id: 1.5 }],
    ['a message without from', messageUpdate({ text: 'a', from: undefined })],
    ['a message with a string sender id', messageUpdate({ text: 'a', from: { ...from, id: '5123456789' } })],
    ['a group message', messageUpdate({ text: 'a', chat: { id: -4001, title: 'Báo chí', type: 'group' } })],
    ['a supergroup message', messageUpdate({ text: 'a', chat: { id: -1001234567890, title: 'Báo chí', type: 'supergroup' } })],
    ['a message without chat', messageUpdate({ text: 'a', chat: undefined })],
    ['a message without date', messageUpdate({ text: 'a', date: undefined })],
    ['a message with a numeric text', messageUpdate({ text: 42 })],
    ['a message that is not an object', { update_id: 1, message: 'hello' }],
    ['an edited_message', { update_id: 1, edited_message: { ...(textUpdate.message as object), edit_date: DATE_S } }],
    ['a channel_post', { update_id: 1, channel_post: { message_id: 1, chat: { id: -100, type: 'channel' }, date: DATE_S, text: 'a' } }],
    ['a my_chat_member update', { update_id: 1, my_chat_member: { chat: privateChat, from, date: DATE_S } }],
    ['a callback with foreign data', withCallback({ data: 'https://example.com' })],
    ['a callback with an upper-case action', withCallback({ data: 'ANS|1' })],
    ['a callback without data (game)', withCallback({ data: undefined, game_short_name: 'g' })],
    ['an inline-message callback (no message)', withCallback({ message: undefined, inline_message_id: 'AAA' })],
    ['a callback from a group message', withCallback({ message: { ...callbackUpdate.callback_query.message, chat: { id: -4001, type: 'group' } } })],
    ['a callback without from', withCallback({ from: undefined })],
  ];

  it.each(cases)('%s', (_name, update) => {
    expect(parseUpdate(update, NOW)).toBeUndefined();
  });

  it('never throws, whatever JSON arrives', () => {
    const anyUpdate = fc.oneof(
      fc.jsonValue(),
      fc.record({ update_id: fc.integer(), message: fc.jsonValue() }),
      fc.record({ update_id: fc.integer(), callback_query: fc.record({ id: fc.string(), data: fc.string(), message: fc.jsonValue(), from: fc.jsonValue() }) }),
    );
    fc.assert(fc.property(anyUpdate, (update) => { parseUpdate(update, NOW); }));
  });
});

describe('describeUpdate and toCallbackQueryId', () => {
  it('labels updates by kind without their content', () => {
    expect(describeUpdate({ update_id: 1, edited_message: { text: 'bí mật' } })).toBe('edited_message');
    expect(describeUpdate({ update_id: '1', message: {} })).toBe('malformed: no integer update_id');
    expect(describeUpdate(42)).toBe('malformed: not an object');
    expect(describeUpdate({ update_id: 1 })).toBe('empty');
  });

  it('finds the callback query id of any callback query, ours or not', () => {
    expect(toCallbackQueryId(callbackUpdate)).toBe('2200475910837146337');
    expect(toCallbackQueryId({ update_id: 1, callback_query: { id: '77', data: 'foreign' } })).toBe('77');
    expect(toCallbackQueryId(textUpdate)).toBeUndefined();
  });
});
