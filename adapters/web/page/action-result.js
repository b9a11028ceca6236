// The workspace's own buttons (follow a similar question, merge a duplicate) post typed actions
// (`POST inquiry-action`); the bot's answer replies to the action's id (`act-<clientId>`). This shows
// that answer — done, or the refusal's reason, in the person's language — beside the button, in a
// live region, as well as in the conversation with the bot.
import { newClientId, post } from './api.js';
import { lang } from './i18n.js';
import { it } from './inbox-i18n.js';
import { actions } from './timeline.js';

const { setTimeout, clearTimeout } = globalThis;

/** Actions waiting for the bot's answer: `act-<clientId>` → what to do with it. */
const waiting = new Map();
/** How long the page waits for the answer before saying it will appear in the chat, in ms. */
const PATIENCE_MS = 30_000;

actions.answered = (entry) => {
  const w = entry.from === 'bot' ? waiting.get(entry.replyTo) : undefined;
  if (!w) return;
  waiting.delete(entry.replyTo);
  clearTimeout(w.timer);
  show(w.out, entry.text, 'done');
  w.resolve(entry.text);
};

function show(out, text, kind) {
  out.textContent = text;
  out.dataset.state = kind;
}

/**
 * Posts `body` (without `clientId`) to the action API and shows its outcome in `out`, a live region
 * (`role="status"`) next to the button. Resolves with the bot's answer, or undefined when the API
 * refused (shown in `out`) or no answer came in time (`out` says where it will appear).
 */
export function runAction(body, out) {
  const clientId = newClientId();
  const key = `act-${clientId}`;
  show(out, it('working'), 'working');
  return new Promise((resolve) => {
    const timer = setTimeout(() => { waiting.delete(key); show(out, it('answerInChat'), 'working'); resolve(undefined); }, PATIENCE_MS);
    // Waiting before the POST: the answer may reach the page before the POST's own response does.
    waiting.set(key, { out, resolve, timer });
    post('/inquiry-action', { ...body, clientId }).catch((err) => {
      waiting.delete(key);
      clearTimeout(timer);
      const refusal = err?.body?.message_vi ? (lang.current === 'en' ? err.body.message_en : err.body.message_vi) : it('actionFailed');
      show(out, refusal, 'refused');
      resolve(undefined);
    });
  });
}

