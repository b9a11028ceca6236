import type { InboundEvent } from '../types.js';

/**
 * Fields of an incoming `user_send_text` that name the message the user quoted. NOT verified: no
 * public source shows a quote in an OA webhook body. Searched (Nov 2026): Zalo's Java SDK
 * (zaloplatform/zalo-java-sdk has send samples only), third-party webhook DTOs (`app_id`,
 * `sender`, `recipient`, `event_name`, `message.{msg_id,text,attachments}`, `timestamp`: no quote
 * field), and every public `quote_msg_id` (none from Zalo). Both guesses are read; when Zalo
 * sends neither, a reply simply arrives unthreaded (numbered choices then match the chat's latest
 * menu). Check a real quoted message's raw body (`inbound_events`, `raw` in debug logs) and fix
 * the name here.
 */
export const INBOUND_QUOTE_FIELDS = ['quote_msg_id', 'quote_message_id'] as const;

/** Events that say nothing the flows act on (logged at debug and acknowledged). */
const IGNORED_EVENTS = new Set([
  'follow', 'unfollow', 'user_seen_message', 'user_received_message', 'oa_send_text', 'oa_send_image',
  'oa_send_file', 'oa_send_list', 'oa_send_gif', 'user_reacted_message', 'oa_reacted_message',
]);

/** The outcome of reading one webhook body. */
export type ParsedZaloEvent =
  | { kind: 'event'; event: InboundEvent }
  | { kind: 'ignored'; eventName: string }
  | { kind: 'invalid'; reason: string };

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const idOf = (v: unknown): string | undefined =>
  (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : undefined);

/**
 * Normalises one OA webhook body (already parsed with ids kept as strings). `user_send_text`
 * becomes a message, or a command when it starts with `/`; other `user_send_*` (image, file,
 * sticker, location…) become a message with empty text, so the flows answer "text only".
 */
export function parseZaloEvent(body: unknown, at: Date): ParsedZaloEvent {
  if (!isObj(body)) return { kind: 'invalid', reason: 'body is not an object' };
  const eventName = typeof body.event_name === 'string' ? body.event_name : '';
  if (!eventName.startsWith('user_send_')) {
    return IGNORED_EVENTS.has(eventName) || eventName.length > 0 ? { kind: 'ignored', eventName } : { kind: 'invalid', reason: 'no event_name' };
  }
  const sender = isObj(body.sender) ? idOf(body.sender.id) : undefined;
  const message = isObj(body.message) ? body.message : undefined;
  const msgId = message ? idOf(message.msg_id) : undefined;
  if (!sender || !message || !msgId) return { kind: 'invalid', reason: `${eventName} without sender.id or message.msg_id` };
  const text = eventName === 'user_send_text' && typeof message.text === 'string' ? message.text : '';
  const replyTo = INBOUND_QUOTE_FIELDS.map((f) => idOf(message[f])).find((v) => v !== undefined);
  const base = {
    platform: 'zalo_oa' as const, eventId: msgId, from: { id: sender }, chatId: sender, at, raw: body,
    ...(replyTo ? { replyTo } : {}),
  };
  const command = /^\/([A-Za-z0-9_]{1,32})(?:@\S+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (command) {
    return { kind: 'event', event: { ...base, kind: 'command', messageId: msgId, command: command[1]!.toLowerCase(), args: (command[2] ?? '').trim() } };
  }
  return { kind: 'event', event: { ...base, kind: 'message', messageId: msgId, text } };
}
