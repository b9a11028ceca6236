import { sendInParts } from '../parts.js';
import {
  BadRequestError, type ChatError, UnreachableError, encodeButtonData,
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

/** The unreachable reason when a chat's browser session no longer exists (closed long enough, or the process restarted). */
export const WEB_NO_SESSION = 'no_session';

/**
 * Appends a message to the chat's timeline (pushing it to the page's live streams) as parts of at
 * most {@link WEB_MAX_TEXT_LENGTH} characters. Only part 0 replies to `message.replyTo`; only the
 * last part carries the buttons; parts before `options.skipParts` are not sent.
 * @throws {UnreachableError} {@link WEB_NO_SESSION} when the chat has no live session; {@link ChatError}s only.
 */
export async function sendWebMessage(
  deps: WebSendDeps, chatId: string, message: OutboundMessage, options: SendOptions = {},
): Promise<SendResult> {
  const buttons = toButtons(message.buttons);
  return sendInParts(message.text, WEB_MAX_TEXT_LENGTH, options, async (part) => {
    const fault = deps.faults?.(chatId);
    if (fault) throw fault;
    // Looked up per part: the session may expire or sign out while onPartSent runs.
    const session = deps.sessions.byOwner(chatId, deps.now());
    if (!session) throw new UnreachableError(WEB_NO_SESSION, 'web chat has no live session');
    const replyTo = part.first ? message.replyTo : undefined;
    const entry = deps.sessions.append(session, {
      from: 'bot', text: part.text, at: new Date(deps.now()).toISOString(),
      ...(replyTo === undefined ? {} : { replyTo }),
      ...(part.last && buttons ? { buttons } : {}),
    });
    return entry.id;
  });
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


