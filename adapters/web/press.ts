import type { ButtonEvent, HttpResponse } from '../types.js';
import { json, refuse } from './http.js';
import { eventBase, type WebRouteDeps } from './route-kit.js';
import type { WebSession } from './sessions.js';
import type { TimelineEntry } from './store.js';

const CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MESSAGE_ID = /^[1-9][0-9]{0,15}$/;

/** A press as the page sends it; `text` only from the preview's edit box. */
interface Press { messageId: string; action: string; payload: string; clientId: string; text?: string }

const isButtonOf = (entry: TimelineEntry | undefined, action: string, payload: string): entry is TimelineEntry =>
  entry?.from === 'bot' && (entry.buttons?.some((row) => row.some((b) => b.action === action && b.payload === payload)) ?? false);

/**
 * Hands the bot a press of a button it sent in this chat (`entry`), and settles the message when
 * the action settles (the chosen button marked, the others disabled). A second press on a settled
 * message (a double tap, another tab) changes nothing and says nothing.
 */
async function press(deps: WebRouteDeps, s: WebSession, entry: TimelineEntry, p: Press): Promise<HttpResponse> {
  const buttons = entry.buttons ?? [];
  if (buttons.some((row) => row.some((b) => b.state !== undefined))) return json(200, { settled: true });
  if (!deps.isReceiving()) return refuse('unavailable');
  const event: ButtonEvent = {
    ...eventBase(deps, s, p.clientId, { ...p }), kind: 'button', messageId: p.messageId, action: p.action, payload: p.payload,
    ...(p.text === undefined ? {} : { text: p.text }),
  };
  if (!(await deps.emit(event))) return refuse('unavailable');
  if (deps.settles?.(p.action)) {
    const settled = buttons.map((row) => row.map((b) => ({ ...b, state: b.action === p.action && b.payload === p.payload ? 'chosen' as const : 'disabled' as const })));
    await deps.store.editMessage(s.ownerId, p.messageId, { text: entry.text, buttons: settled, at: new Date(deps.now()).toISOString(), buttonsOnly: true });
    deps.live.wake();
  }
  return json(200, { eventId: event.eventId });
}

/** `POST buttons`: only buttons the bot really sent in this chat can be pressed. */
export async function postButton(deps: WebRouteDeps, s: WebSession, body: Record<string, unknown>): Promise<HttpResponse> {
  const { messageId, action, payload, clientId } = body;
  if (typeof messageId !== 'string' || !MESSAGE_ID.test(messageId) || typeof action !== 'string' || typeof payload !== 'string'
    || typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) return refuse('bad_request');
  const entry = await deps.store.findMessage(s.ownerId, messageId);
  if (!isButtonOf(entry, action, payload)) return refuse('unknown_button');
  return press(deps, s, entry, { messageId, action, payload, clientId });
}

/**
 * `POST preview-edit`: the answer preview's edit box saved — its edit button (`previewActions.edit`)
 * pressed with the new text, so the flows replace the draft and show it again (nothing is sent),
 * and the old preview settles. Only a preview the bot sent in this chat (else `unknown_button`).
 */
export async function postPreviewEdit(deps: WebRouteDeps, s: WebSession, body: Record<string, unknown>): Promise<HttpResponse> {
  const { messageId, text, clientId } = body;
  if (typeof messageId !== 'string' || !MESSAGE_ID.test(messageId) || typeof text !== 'string' || text.trim() === ''
    || typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) return refuse('bad_request');
  const edit = deps.previewActions?.edit;
  const entry = await deps.store.findMessage(s.ownerId, messageId);
  const button = entry?.buttons?.flat().find((b) => b.action === edit);
  if (!button || !isButtonOf(entry, button.action, button.payload)) return refuse('unknown_button');
  return press(deps, s, entry, { messageId, action: button.action, payload: button.payload, clientId, text });
}
