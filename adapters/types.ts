/**
 * The adapter seam: the only contract between chat platforms and the rest of the bot.
 * Flows import this file and nothing else from `adapters/`.
 */
import type { Readable } from 'node:stream';

export { AuthError, BadRequestError, ChatError, RateLimitError, TransientError, UnreachableError } from './errors.js';
export { graphemeBoundaryAtOrBefore, isBlankText, safeCutIndex, splitText, truncateText } from './text.js';

/** A chat platform the bot speaks on. Stored in the database; never rename a value. */
export type Platform = 'telegram' | 'zalo_oa' | 'zalo_personal' | 'web';

/** The sender of an inbound event, as the platform names them. */
export interface InboundSender {
  /** Platform user id, always a string (Zalo ids exceed 2^53). */
  id: string;
  /** Display name as the platform reports it; may be empty. */
  name?: string;
  /** Platform username without `@`, when there is one. */
  username?: string;
  /** IETF language tag reported by the platform (`vi`, `en-US`), when known. */
  languageCode?: string;
}

interface InboundBase {
  platform: Platform;
  /** Unique per platform; the key for deduplication (Telegram `update_id`, Zalo `msg_id`). */
  eventId: string;
  from: InboundSender;
  /** Platform chat/thread id where the event happened and where replies go. */
  chatId: string;
  /** Platform message id of the message this one replies to, if any. */
  replyTo?: string;
  /**
   * The bot's direct answers to this event reply to this id (absent: as each flow decides). The web
   * page's workspace buttons set it to their action's id, so the page can show the answer (done, or
   * the refusal's reason) beside the button that was pressed.
   */
  answerTo?: string;
  /** When the platform says the event happened (UTC instant). */
  at: Date;
  /** The platform's payload as received, for the audit trail and debugging. */
  raw: unknown;
}

/** What a file is, as people see it (and as the bot checks it, by its bytes). */
export type FileKind = 'image' | 'document' | 'video' | 'audio';

/** Why a received file was not kept; the sender is told, in their language. */
export type FileRefusal =
  /** Over the per-file limit (ours, or the platform's download limit for bots). */
  | 'too_large'
  /** The message's files together are over the per-message limit (or too many files). */
  | 'message_too_large'
  /** The bytes are not one of the allowed types (whatever the name says). */
  | 'type_not_allowed'
  /** The virus scanner flagged it: kept apart, never sent on. */
  | 'infected'
  /** The platform would not give us the file (after retries). */
  | 'fetch_failed'
  /** It names a file this sender did not upload (the web page's upload ids). */
  | 'not_yours';

/** A file stored by the bot: what the flows may attach to an inquiry or a notice. */
export interface StoredFile {
  attachmentId: number;
  /** Sanitised, with the extension of the detected type. */
  name: string;
  mimeType: string;
  sizeBytes: number;
  kind: FileKind;
}

/**
 * A file that came with a message. Adapters fill in what the platform says (`ref`, and any name,
 * type or size it claims); the bot fetches it, checks its bytes and sets `stored` before any flow
 * sees the event.
 */
export interface InboundFile {
  /** How to fetch it from the platform (Telegram `file_id`, a Zalo URL, a web upload id). */
  ref: string;
  /** What the platform says it is (a hint: the bytes decide). */
  kind: FileKind;
  name?: string;
  mimeType?: string;
  /** Size in bytes as the platform reports it, when it does. */
  sizeBytes?: number;
  /** Set by the bot, never by an adapter: the stored file, or why it was refused. */
  stored?: StoredFile | { refused: FileRefusal };
}

/** A plain text message, possibly with files (then `text` is the caption, possibly empty). */
export interface MessageEvent extends InboundBase {
  kind: 'message';
  /** Platform id of this message, so answers can reply to it. */
  messageId: string;
  text: string;
  /** Photos, documents, videos or voice notes sent with (or as) this message. */
  files?: InboundFile[];
  /** Messages sent together as one album share this id (Telegram `media_group_id`). */
  groupId?: string;
}

/** A `/command args` message. `command` is lower-case, without `/` or `@botname`. */
export interface CommandEvent extends InboundBase {
  kind: 'command';
  messageId: string;
  command: string;
  /** Everything after the command, trimmed; empty string when none. */
  args: string;
}

/** A press on a button the bot sent. */
export interface ButtonEvent extends InboundBase {
  kind: 'button';
  /** Platform id of the message that carried the button. */
  messageId: string;
  /** The action id given in {@link Button.action}. */
  action: string;
  /** The opaque payload given in {@link Button.payload}. */
  payload: string;
  /**
   * Text written with the press, where a page has its own edit box: the web page's answer preview
   * sends the new text with its edit button, so the draft is replaced in one step. Chat apps never
   * set it.
   */
  text?: string;
}

/** Everything a platform can tell the bot, normalised. */
export type InboundEvent = MessageEvent | CommandEvent | ButtonEvent;

/** An inline button. `action` + `payload` must fit in {@link MAX_BUTTON_DATA_BYTES} bytes together. */
export interface Button {
  label: string;
  /** Short action id, `[a-z_]+`, e.g. `ans`, `topic`. */
  action: string;
  /** Opaque payload, e.g. an inquiry id. Must not contain `|`. */
  payload: string;
  /** How a page draws it (default `primary`): `secondary` for Cancel, `danger` for a refusal. Chat apps ignore it. */
  style?: 'primary' | 'secondary' | 'danger';
  /** Set by an adapter once a press settled the message: the chosen button, or one no longer usable. */
  state?: 'chosen' | 'disabled';
}

/** Telegram's `callback_data` limit; `action|payload` must fit in it. */
export const MAX_BUTTON_DATA_BYTES = 64;

/** A message to send. Adapters split text longer than their limit; buttons go on the last part. */
export interface OutboundMessage {
  text: string;
  /**
   * Rows of buttons. Adapters without buttons (`capabilities.buttons` false) ignore them: the
   * outbox has already written them into `text` as numbered choices (`flows/choices.ts`).
   */
  buttons?: Button[][];
  /** Platform message id to reply to (thread the message under it). */
  replyTo?: string;
  /**
   * Substrings of `text` that are credentials (one-time codes). An adapter that keeps what it sent
   * (the web timeline) stores them masked with {@link maskSecrets} once they are no longer needed.
   */
  secrets?: readonly string[];
  /**
   * Files to send after the text, one part each, in order. Only files that fit the adapter's
   * {@link AdapterCapabilities.files} are given to it: the outbox turns the others into download
   * links in `text`.
   */
  files?: OutboundFile[];
}

/** A stored file to send: its description and a way to read its bytes (streamed, never whole). */
export interface OutboundFile extends StoredFile {
  /** SHA-256 of the bytes, hex (adapters key re-used uploads on it). */
  sha256: string;
  /** Opens a fresh stream of the bytes; the adapter must consume or destroy it. */
  open(): Promise<Readable>;
}

/** What files a platform takes from a bot, as data (limits in bytes). */
export interface FileCapabilities {
  /** Largest file the bot may send. */
  maxUploadBytes: number;
  /** Tighter per-kind upload limits, in bytes (the Zalo OA takes images up to 1 MB, documents up to 5 MB). */
  maxUploadBytesByKind?: Readonly<Partial<Record<FileKind, number>>>;
  /** Largest file the bot may fetch from a user (Telegram bots: 20 MB). */
  maxDownloadBytes: number;
  /** Kinds the platform shows; others go as a download link. */
  kinds: readonly FileKind[];
  /** When set, only these types are sent as files (e.g. an image endpoint that takes JPEG and PNG only). */
  mimeTypes?: Readonly<Partial<Record<FileKind, readonly string[]>>>;
}

/** Whether `file` can be sent as a file on a platform with these capabilities (else: a link). */
export function fileFits(files: FileCapabilities | undefined, file: Pick<StoredFile, 'kind' | 'mimeType' | 'sizeBytes'>): boolean {
  if (!files || file.sizeBytes > files.maxUploadBytes || !files.kinds.includes(file.kind)) return false;
  if (file.sizeBytes > (files.maxUploadBytesByKind?.[file.kind] ?? Infinity)) return false;
  const types = files.mimeTypes?.[file.kind];
  return types === undefined || types.includes(file.mimeType);
}

/** The mark that replaces each character of a masked credential. */
export const MASK_CHAR = '•';

/**
 * `text` with every occurrence of each secret replaced by bullets, one per letter or digit
 * (`ABCD-EFGH` → `••••••••`), so it still reads as "a code was here": "mã: ••••••••".
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)) {
    masked = masked.split(secret).join(MASK_CHAR.repeat(secret.replace(/[^\p{L}\p{N}]/gu, '').length || secret.length));
  }
  return masked;
}

/** What a platform can do, so flows and the dispatcher never branch on `platform`. */
export interface AdapterCapabilities {
  /** Inline buttons are supported. */
  buttons: boolean;
  /** Native replies/quotes are supported. */
  replies: boolean;
  /** Maximum characters in one text message. */
  maxTextLength: number;
  /** Sent messages can be changed in place ({@link ChatAdapter.edit}). */
  edits: boolean;
  /**
   * The platform lets the bot write to a user only this long after the user's last message, in ms
   * (Zalo OA: 48 h). Undefined: no such window.
   */
  replyWindowMs?: number;
  /** Files the platform takes from and gives to the bot; absent: text only. */
  files?: FileCapabilities;
  /**
   * A link can open a chat with the bot carrying a start code (Telegram's `t.me/<bot>?start=<code>`),
   * so an invite can be handed out as a link. Absent or false: people send the invite code as text.
   */
  startLinks?: boolean;
}

/** Result of a send: the platform ids of every part sent, in order. */
export interface SendResult {
  /** Platform message id of the first part (the one replies should thread under). */
  messageId: string;
  /** Platform message ids of all parts, in order. */
  messageIds: string[];
}

/** A framework-free HTTP request handed to an adapter's webhook. */
export interface WebhookRequest {
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  /** The body exactly as received (signatures are computed over it). */
  rawBody: Buffer;
}

/** The adapter's answer to a webhook call. */
export interface WebhookResponse {
  status: number;
  body?: string | Record<string, unknown>;
}

/** A framework-free HTTP request handed to an adapter's {@link HttpRoute}. */
export interface HttpRequest extends WebhookRequest {
  /** Query-string parameters; a repeated name keeps its first value. */
  query: Record<string, string | undefined>;
  /** The client's address as the socket reports it (for per-client rate limits). */
  ip: string;
  /**
   * The body as it arrives, on routes with {@link HttpRoute.streamBody} (then `rawBody` is empty):
   * the handler must read or destroy it.
   */
  body?: Readable;
}

/** A complete answer: status, headers (names lower-case) and an optional body. */
export interface HttpBodyResponse {
  status: number;
  headers?: Record<string, string>;
  /** A stream is piped as it is read (a file download), never held whole. */
  body?: string | Buffer | Readable;
}

/**
 * A streamed answer (server-sent events): each chunk is written as it comes. The server ends the
 * response when the iterable ends, and calls its iterator's `return()` when the client goes away
 * or the server closes.
 */
export interface HttpStreamResponse {
  status: number;
  headers?: Record<string, string>;
  stream: AsyncIterable<string>;
}

/** An adapter's answer to an {@link HttpRoute} call. */
export type HttpResponse = HttpBodyResponse | HttpStreamResponse;

/** One HTTP route an adapter serves on the bot's HTTP server (e.g. the web channel's API). */
export interface HttpRoute {
  method: 'GET' | 'POST';
  /** Absolute path, e.g. `/web/api/messages`. */
  path: string;
  /** Should not throw; a throw becomes a 500. */
  handle(req: HttpRequest): Promise<HttpResponse>;
  /**
   * The body is handed over as a stream ({@link HttpRequest.body}), never read whole by the server
   * (file uploads); the handler enforces its own size limit. Default: read whole, within the
   * server's body limit, into `rawBody`.
   */
  streamBody?: boolean;
}

/** Receives inbound events. Resolves once the event is persisted (not necessarily processed). */
export type InboundHandler = (event: InboundEvent) => Promise<void>;

/** One chat platform. Implementations live in `adapters/<platform>/` and own their SDK. */
export interface ChatAdapter {
  readonly platform: Platform;
  readonly capabilities: AdapterCapabilities;
  /** Begin receiving events (polling, sockets). Webhook-only adapters just remember `onEvent`. */
  start(onEvent: InboundHandler): Promise<void>;
  /** Stop receiving; resolves when in-flight work is done. */
  stop(): Promise<void>;
  /**
   * Present when the adapter receives events over HTTP. `maxBodyBytes`: the server refuses larger
   * bodies with 413 before reading them whole (default: the server's own limit).
   */
  readonly webhook?: { path: string; maxBodyBytes?: number; handle(req: WebhookRequest): Promise<WebhookResponse> };
  /** Present when the adapter serves its own HTTP routes (the web channel); mounted by the HTTP server. */
  readonly routes?: ReadonlyArray<HttpRoute>;
  /**
   * Send one message (split into parts if longer than `capabilities.maxTextLength`).
   * `skipParts` parts are assumed already sent (a retry after a partial send).
   * Throws {@link ChatError} subclasses only.
   */
  send(chatId: string, message: OutboundMessage, options?: SendOptions): Promise<SendResult>;
  /**
   * Present when `capabilities.edits`: replaces the text (and buttons) of a message the bot sent.
   * The text must fit in one part. Throws {@link ChatError} subclasses only.
   */
  edit?(chatId: string, messageId: string, message: OutboundMessage): Promise<void>;
  /**
   * Optional with `edit`: replaces only the buttons of a message the bot sent, its text untouched
   * (Telegram `editMessageReplyMarkup`; a page of choices turning, a tick). Buttons identical to the
   * current ones count as done. Throws {@link ChatError} subclasses only.
   */
  editButtons?(chatId: string, messageId: string, buttons: Button[][]): Promise<void>;
  /**
   * Present when `capabilities.files`: streams the bytes of a file a user sent (an
   * {@link InboundFile} this adapter produced). Throws {@link ChatError} subclasses only.
   */
  fetchFile?(file: InboundFile): Promise<Readable>;
}

/** Options for {@link ChatAdapter.send}. */
export interface SendOptions {
  /** Number of leading parts already delivered by an earlier attempt. Default 0. */
  skipParts?: number;
  /** Called after each part is accepted by the platform, with its index and message id. */
  onPartSent?: (index: number, messageId: string) => void | Promise<void>;
}

/** Encode a button's action and payload into one platform callback string. */
export function encodeButtonData(action: string, payload: string): string {
  const data = `${action}|${payload}`;
  if (Buffer.byteLength(data, 'utf8') > MAX_BUTTON_DATA_BYTES) {
    throw new RangeError(`button data over ${MAX_BUTTON_DATA_BYTES} bytes: ${action}`);
  }
  return data;
}

/** Decode {@link encodeButtonData}; `undefined` for anything that is not ours. */
export function decodeButtonData(data: string): { action: string; payload: string } | undefined {
  const bar = data.indexOf('|');
  if (bar <= 0) return undefined;
  const action = data.slice(0, bar);
  if (!/^[a-z_]+$/.test(action)) return undefined;
  return { action, payload: data.slice(bar + 1) };
}
