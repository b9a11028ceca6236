import type { FileKind, InboundEvent, InboundFile } from '../types.js';

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
 * Events whose attachments are files the bot keeps, and what each one is. The URL is in
 * `message.attachments[].payload.url`; a file event also names it (`payload.name`) and gives its
 * size in bytes (`payload.size`, a string or a number). Stickers, locations, links and business
 * cards carry nothing to keep: they become a message with empty text (the flows say what the bot
 * reads).
 */
const FILE_EVENTS: Readonly<Record<string, FileKind>> = {
  user_send_image: 'image', user_send_gif: 'image', user_send_file: 'document', user_send_audio: 'audio', user_send_video: 'video',
};

/**
 * Normalises one OA webhook body (already parsed with ids kept as strings). `user_send_text`
 * becomes a message, or a command when it starts with `/`; an image, GIF, file, voice or video a
 * message with its files (and the caption Zalo gives in `message.text`, if any); other
 * `user_send_*` (sticker, location…) a message with empty text.
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
  const fileKind = FILE_EVENTS[eventName];
  const text = (eventName === 'user_send_text' || fileKind) && typeof message.text === 'string' ? message.text : '';
  const replyTo = INBOUND_QUOTE_FIELDS.map((f) => idOf(message[f])).find((v) => v !== undefined);
  const base = {
    platform: 'zalo_oa' as const, eventId: msgId, from: { id: sender }, chatId: sender, at, raw: body,
    ...(replyTo ? { replyTo } : {}),
  };
  const command = /^\/([A-Za-z0-9_]{1,32})(?:@\S+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (command) {
    return { kind: 'event', event: { ...base, kind: 'command', messageId: msgId, command: command[1]!.toLowerCase(), args: (command[2] ?? '').trim() } };
  }
  const files = fileKind ? filesOf(message.attachments, fileKind) : [];
  return { kind: 'event', event: { ...base, kind: 'message', messageId: msgId, text, ...(files.length > 0 ? { files } : {}) } };
}

/** The files of an event's `attachments` (those with a URL). */
function filesOf(attachments: unknown, kind: FileKind): InboundFile[] {
  if (!Array.isArray(attachments)) return [];
  return attachments.flatMap((a): InboundFile[] => {
    const payload = isObj(a) && isObj(a.payload) ? a.payload : undefined;
    const url = typeof payload?.url === 'string' && payload.url.length > 0 ? payload.url : undefined;
    if (!payload || !url) return [];
    const name = typeof payload.name === 'string' && payload.name.length > 0 ? payload.name : undefined;
    const size = typeof payload.size === 'number' ? payload.size : typeof payload.size === 'string' && /^\d{1,15}$/.test(payload.size) ? Number(payload.size) : NaN;
    return [{ ref: url, kind, ...(name ? { name } : {}), ...(Number.isSafeInteger(size) && size >= 0 ? { sizeBytes: size } : {}) }];
  });
}
