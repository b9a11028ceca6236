// Live updates over server-sent events, with catch-up from the stored timeline on every (re)connect.
import { API, ApiError, catchUp } from './api.js';
import { showStatus, state } from './dom.js';
import { addEntry } from './timeline.js';

const { EventSource, setTimeout, clearTimeout } = globalThis;

/** What the page does with the stream's events beyond its timeline: `language` and `inbox` (set by app.js and inbox.js). */
export const pageEvents = { language: () => undefined, inbox: () => undefined };

/** Connects; `onUnauthorized(err)` is called when the session turns out to be over. */
export function connectEvents(onUnauthorized) {
  state.source?.close();
  const source = new EventSource(`${API}/events`);
  state.source = source;
  source.addEventListener('open', () => {
    state.retryMs = 3000;
    if (state.status === 'reconnecting') {
      showStatus('connected');
      // Changes made while the stream was down were never told: the lists and the open thread reload.
      pageEvents.inbox({ inquiries: [], registrations: false, all: true });
    }
    // The stream starts at the newest stored entry (or after Last-Event-ID): anything stored
    // since the last load is fetched here. Duplicates are dropped by id.
    catchUp(addEntry).catch(() => undefined);
  });
  source.addEventListener('message', (ev) => { try { addEntry(JSON.parse(ev.data)); } catch { /* a malformed entry is skipped */ } });
  // The person's language changed (in any chat, any process), or their inbox did: the page follows.
  for (const name of Object.keys(pageEvents)) {
    source.addEventListener(name, (ev) => { let data; try { data = JSON.parse(ev.data); } catch { return; } pageEvents[name](data); });
  }
  source.addEventListener('error', () => {
    if (state.source !== source) return;
    showStatus('reconnecting');
    // CONNECTING: the browser retries by itself (sending Last-Event-ID). CLOSED: we start again.
    if (source.readyState === EventSource.CLOSED) scheduleReconnect(onUnauthorized);
  });
}

function scheduleReconnect(onUnauthorized) {
  clearTimeout(state.retryTimer);
  state.retryTimer = setTimeout(async () => {
    try {
      await catchUp(addEntry);
      connectEvents(onUnauthorized);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) { onUnauthorized(err); return; }
      state.retryMs = Math.min(state.retryMs * 2, 30000);
      scheduleReconnect(onUnauthorized);
    }
  }, state.retryMs);
}

export function stopEvents() {
  clearTimeout(state.retryTimer);
  state.source?.close();
  state.source = undefined;
}
