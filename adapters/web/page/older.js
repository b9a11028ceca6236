// The conversation with the bot loads its newest messages first; older ones come a page at a time
// when the person scrolls to the top (or presses the button above the messages).
import { api } from './api.js';
import { el, state, ui } from './dom.js';
import { it } from './inbox-i18n.js';
import { addEntry } from './timeline.js';

const older = { loading: false, done: false, button: undefined };

function oldestShown() {
  let min = Infinity;
  for (const id of state.entries.keys()) min = Math.min(min, Number(id));
  return min;
}

async function loadOlder() {
  const oldest = oldestShown();
  if (older.loading || older.done || !state.signedIn || !Number.isFinite(oldest)) return;
  if (oldest <= 1) { older.done = true; renderOlder(); return; }
  older.loading = true;
  renderOlder();
  try {
    const { messages = [] } = await api('GET', `/messages?before=${oldest}`);
    const top = ui.list.scrollTop;
    const height = ui.list.scrollHeight;
    for (const entry of messages) addEntry(entry);
    // Keep the message the person was reading where it was.
    ui.list.scrollTop = top + (ui.list.scrollHeight - height);
    if (messages.length === 0) older.done = true;
  } catch { /* tried again on the next scroll */ } finally {
    older.loading = false;
    renderOlder();
  }
}

/** Redraws the button in the page's language; hidden once nothing older is left. */
export function renderOlder() {
  if (!older.button) return;
  older.button.textContent = older.loading ? it('loadingOlder') : it('older');
  older.button.hidden = older.done || !state.signedIn || state.entries.size === 0 || oldestShown() <= 1;
}

/** Adds the button above the messages and the scroll trigger; `reset()` after signing in or out. */
export function initOlder() {
  older.button = el('button', { type: 'button', className: 'small-button secondary older-button', onclick: () => { void loadOlder(); } });
  ui.list.before(older.button);
  ui.list.addEventListener('scroll', () => { if (ui.list.scrollTop < 40) void loadOlder(); }, { passive: true });
  renderOlder();
}

export function resetOlder() {
  older.done = false;
  renderOlder();
}
