import {
  BadRequestError, ChatError, TransientError, UnreachableError, encodeButtonData, splitText,
  type Button, type OutboundMessage, type SendOptions, type SendResult,
} from '../types.js';
import type { SessionStore } from './sessions.js';

/** The web channel's limit on one message, in characters. */
export const WEB_MAX_TEXT_LENGTH = 4000;

/** What {@link sendWebMessage} needs from the adapter. */
export interface WebSendDeps {
  sessions: SessionStore;
  /** Epoch milliseconds. */
  now(): number;
  /** Test-only fault injection: an error to throw instead of sending to `chatId`, if any. */
  faults?: (chatId: string) => ChatError | undefined;
}

/**
 * Appends a message to the chat's timeline (pushing it to the page's live streams) as parts of at
 * most {@link WEB_MAX_TEXT_LENGTH} characters. Only part 0 replies to `message.replyTo`; only the
 * last part carries the buttons; parts before `options.skipParts` are not sent.
 * @throws {UnreachableError} `no_session` when the chat has no live session; {@link ChatError}s only.
 */
export async function sendWebMessage(
  deps: WebSendDeps, chatId: string, message: OutboundMessage, options: SendOptions = {},
): Promise<SendResult> {
  const parts = splitText(message.text, WEB_MAX_TEXT_LENGTH);
  const buttons = toButtons(message.buttons);
  const messageIds: string[] = [];
  const skip = options.skipParts !== undefined && Number.isFinite(options.skipParts) ? Math.max(0, Math.floor(options.skipParts)) : 0;
  for (let index = skip; index < parts.length; index += 1) {
    const fault = deps.faults?.(chatId);
    if (fault) throw fault;
    // Looked up per part: the session may expire or sign out while onPartSent runs.
    const session = deps.sessions.byOwner(chatId, deps.now());
    if (!session) throw new UnreachableError('no_session', 'web chat has no live session');
    const replyTo = index === 0 ? message.replyTo : undefined;
    const entry = deps.sessions.append(session, {
      from: 'bot', text: parts[index]!, at: new Date(deps.now()).toISOString(),
      ...(replyTo === undefined ? {} : { replyTo }),
      ...(index === parts.length - 1 && buttons ? { buttons } : {}),
    });
    messageIds.push(entry.id);
    await notifyPartSent(options.onPartSent, index, entry.id);
  }
  return { messageId: messageIds[0] ?? '', messageIds };
}

/** Non-empty rows, each button checked against the shared button-data limit; `undefined` when none. */
function toButtons(buttons: Button[][] | undefined): Button[][] | undefined {
  const rows = (buttons ?? []).filter((row) => row.length > 0);
  if (rows.length === 0) return undefined;
  try {
    return rows.map((row) => row.map((b) => {
      encodeButtonData(b.action, b.payload);
      return { label: b.label, action: b.action, payload: b.payload };
    }));
  } catch (err) {
    throw new BadRequestError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}

async function notifyPartSent(onPartSent: SendOptions['onPartSent'], index: number, messageId: string): Promise<void> {
  if (!onPartSent) return;
  try {
    await onPartSent(index, messageId);
  } catch (err) {
    if (err instanceof ChatError) throw err;
    throw new TransientError(`onPartSent failed after part ${index}`, undefined, { cause: err });
  }
}
