import type { CommandEvent, FileKind, InboundEvent, InboundFile, MessageEvent } from '../types.js';
import { ZCA_THREAD, type ZcaMessage, type ZcaSendQuote } from './zca.js';

/** Why a zca-js message gives no event (for a debug log line). */
export type SkipReason = 'group' | 'self' | 'malformed' | 'recall';

/** The platform's event id of a message: its sender and client message id. */
export function eventIdOf(message: ZcaMessage): string {
  return `${message.data.uidFrom}-${message.data.cliMsgId}`;
}

/**
 * Normalises one zca-js message into an {@link InboundEvent}. Only one-to-one chats (thread type
 * User, 0) are handled for now; groups and the account's own messages are skipped. A text becomes
 * a message or a `/command`; a photo, GIF, shared file, video or voice message a message with its
 * file (and a photo's caption); other content (stickers, links) a message with its title as text
 * (often empty); a recall (content with `deleteMsg`) is skipped. `eventId` is
 * `<uidFrom>-<cliMsgId>`: cliMsgId is the sender's client id (a millisecond timestamp), so it is
 * unique per sender, not across senders. Never throws.
 */
export function parseMessage(message: ZcaMessage): InboundEvent | SkipReason {
  if (message.type !== ZCA_THREAD.user) return 'group';
  if (message.isSelf) return 'self';
  const d = message.data;
  // A recall replayed by the catch-up: zca-js turns live recalls into `undo` events, but on the
  // `old_messages` path wraps them as ordinary messages whose content holds `deleteMsg`.
  if (isRecall(d.content)) return 'recall';
  const ts = Number(d.ts);
  if (!d.msgId || !d.cliMsgId || !d.uidFrom || !message.threadId || !Number.isFinite(ts)) return 'malformed';
  const replyTo = d.quote && d.quote.globalMsgId ? String(d.quote.globalMsgId) : undefined;
  const base = {
    platform: 'zalo_personal' as const,
    eventId: eventIdOf(message),
    from: { id: String(d.uidFrom), name: d.dName ?? '' },
    chatId: String(message.threadId),
    messageId: String(d.msgId),
    at: new Date(ts),
    raw: message,
    ...(replyTo ? { replyTo } : {}),
  };
  if (typeof d.content !== 'string') return { ...base, kind: 'message', ...contentOf(d.msgType, d.content) } satisfies MessageEvent;
  const command = toCommand(d.content);
  return command ? { ...base, kind: 'command', ...command } satisfies CommandEvent : { ...base, kind: 'message', text: d.content };
}

/**
 * zca-js's message types that carry a file (`getClientMessageType` in `dist/utils.js` lists them),
 * and what each one is. The file is at `content.href` (`TAttachmentContent`); a shared file's name
 * is `content.title` and its size `fileSize` in the JSON string `content.params`.
 */
const FILE_TYPES: Readonly<Record<string, FileKind>> = {
  'chat.photo': 'image', 'chat.gif': 'image', 'share.file': 'document', 'chat.video.msg': 'video', 'chat.voice': 'audio',
};

/**
 * The text and files of a message whose content is not a string. A photo's caption is its
 * `title` (*assumed*: zca-js sends a caption as the photo's `desc`); a shared file's `title` is its
 * name, not text. Stickers and other content keep the title as text (often empty), as before.
 */
function contentOf(msgType: string, content: unknown): { text: string; files?: InboundFile[] } {
  const c = (typeof content === 'object' && content !== null ? content : {}) as Record<string, unknown>;
  const title = typeof c.title === 'string' ? c.title : '';
  const kind = FILE_TYPES[msgType];
  const href = typeof c.href === 'string' && c.href.length > 0 ? c.href : undefined;
  if (!kind) return { text: msgType === 'chat.sticker' ? '' : title };
  if (!href) return { text: '' };
  const params = parseParams(c.params);
  const size = Number(params.fileSize ?? params.totalSize);
  const name = msgType === 'share.file' && title ? title : undefined;
  const file: InboundFile = { ref: href, kind, ...(name ? { name } : {}), ...(Number.isSafeInteger(size) && size > 0 ? { sizeBytes: size } : {}) };
  return { text: msgType === 'chat.photo' ? title : '', files: [file] };
}

function parseParams(params: unknown): Record<string, unknown> {
  if (typeof params !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(params);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function isRecall(content: unknown): boolean {
  return typeof content === 'object' && content !== null && 'deleteMsg' in content;
}

/** `/Ask  rest` → `{command: 'ask', args: 'rest'}`; a bare `/` is not a command. */
function toCommand(text: string): { command: string; args: string } | undefined {
  const match = /^\/(\S+)([\s\S]*)$/.exec(text.trimStart());
  if (!match) return undefined;
  return { command: (match[1] ?? '').toLowerCase(), args: (match[2] ?? '').trim() };
}

/** What zca-js needs to quote this message later (its own data, as the listener gave it). */
export function toSendQuote(message: ZcaMessage): ZcaSendQuote {
  const d = message.data;
  return {
    content: d.content, msgType: d.msgType, propertyExt: d.propertyExt, uidFrom: d.uidFrom,
    msgId: String(d.msgId), cliMsgId: String(d.cliMsgId), ts: d.ts, ttl: d.ttl,
  };
}
