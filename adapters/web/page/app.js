// The web channel's chat page: sign-in with an invite or sign-in code, then the conversation with
// the bot. Plain ES modules (no framework, no build step); talks only to this tab's slot of the web
// API on this origin. Browser objects are read from globalThis so the repository's Node-oriented
// lint config applies.
import { ApiError, SLOT, api, catchUp, newClientId, post } from './api.js';
import { showError, showStatus, state, ui } from './dom.js';
import { browserLanguage, lang, showLanguage, t, toggleLanguage } from './i18n.js';
import { connectEvents, pageEvents, stopEvents } from './live.js';
import { actions, addEntry, clearTimeline, renderAll, renderReplyBox } from './timeline.js';
import { inboxLanguage, inboxSignedIn, inboxSignedOut, initInbox } from './inbox.js';
import { busyError, clearUploads, initUploads, readyRefs, render as renderUploads, uploadsBusy } from './upload.js';
import './preview.js';
import { initNotify, notifyLanguage, notifySignedIn, notifySignedOut } from './notify.js';

const { document, history, location, URLSearchParams } = globalThis;

function applyLanguage() {
  document.documentElement.lang = lang.current;
  document.title = SLOT === 0 ? t('pageTitle') : `${t('pageTitle')} (${SLOT})`;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  ui.composer.setAttribute('aria-label', t('composer'));
  ui.replyCancel.setAttribute('aria-label', t('cancelReply'));
  ui.lang.lang = t('langOther');
  ui.lang.setAttribute('aria-label', t('langLabel'));
  showStatus(state.status);
  showError(state.error);
  renderAll();
  renderReplyBox();
  renderUploads();
  notifyLanguage();
  inboxLanguage();
}

/** Shows a failure: an expired session returns to the sign-in form; the rest are shown as they are. */
function fail(err) {
  if (err instanceof ApiError && err.status === 401) signedOut();
  showError(err instanceof ApiError && err.body.message_vi ? err.body : 'network');
}

async function signedIn(session) {
  state.csrf = session.csrfToken;
  state.botName = typeof session.botName === 'string' ? session.botName : '';
  state.previewActions = session.previewActions;
  state.signedIn = true;
  // One language setting: the page speaks the person's language, as the bot does.
  if (showLanguage(session.language)) applyLanguage();
  ui.signIn.hidden = true;
  ui.sendCode.hidden = true;
  ui.chat.hidden = false;
  ui.signOut.hidden = false;
  showStatus('loading');
  try {
    await catchUp(addEntry);
    showStatus('');
    connectEvents(fail);
    void notifySignedIn();
    await inboxSignedIn();
  } catch (err) {
    fail(err);
  }
}

function signedOut() {
  stopEvents();
  Object.assign(state, { csrf: '', signedIn: false, lastId: 0, lastRev: 0, replyTo: undefined });
  clearTimeline();
  clearUploads();
  renderReplyBox();
  ui.chat.hidden = true;
  ui.signOut.hidden = true;
  ui.signIn.hidden = false;
  ui.sendCode.hidden = false;
  notifySignedOut();
  inboxSignedOut();
  if (browserLanguage()) applyLanguage();
}

/** Signs in with `code`; `replace`: the person agreed to sign out whoever this tab's slot has. */
async function signIn(code, replace = false) {
  showError(undefined);
  if (!code) { showError('emptyCode'); ui.code.focus(); return; }
  showStatus('signingIn');
  try {
    const session = await api('POST', '/sign-in', { code, ...(replace ? { replace: true } : {}) });
    ui.code.value = '';
    if (state.signedIn) signedOut();
    await signedIn(session);
  } catch (err) {
    showStatus('');
    // The slot is signed in (here or in another tab): never replace a session without asking.
    if (err instanceof ApiError && err.status === 409) { askToSwitch(code); return; }
    showError(err instanceof ApiError && err.body.message_vi ? err.body : 'network');
    if (!state.signedIn) ui.code.focus();
  }
}

/** Asks before a code replaces the session this slot has; nothing happens unless the person confirms. */
function askToSwitch(code) {
  state.pendingCode = code;
  ui.switchBox.hidden = false;
  ui.switchBox.querySelector('button[type="submit"]').focus();
}

function hideSwitch() {
  state.pendingCode = undefined;
  ui.switchBox.hidden = true;
}

/** "Send me a code": the answer is the same whoever was named. */
async function requestCode(who) {
  showError(undefined);
  if (!who) { showError('emptyWho'); ui.who.focus(); return; }
  try {
    await api('POST', '/send-code', { who });
    ui.who.value = '';
    showStatus('codeSent');
    ui.code.focus();
  } catch (err) {
    showStatus('');
    fail(err);
  }
}

async function sendMessage() {
  const text = ui.text.value;
  const files = readyRefs();
  if (uploadsBusy()) { showError(busyError()); return; }
  if (text.trim() === '' && files.length === 0) return;
  const send = ui.composer.querySelector('button[type="submit"]');
  send.disabled = true;
  showError(undefined);
  try {
    const body = { text, clientId: newClientId(), ...(state.replyTo ? { replyTo: state.replyTo } : {}), ...(files.length > 0 ? { files } : {}) };
    await post('/messages', body);
    ui.text.value = '';
    clearUploads();
    state.replyTo = undefined;
    renderReplyBox();
    await catchUp(addEntry);
  } catch (err) {
    fail(err);
  } finally {
    send.disabled = false;
    if (state.signedIn) ui.text.focus();
  }
}

actions.press = async (button, messageId, b) => {
  // The whole row set waits for the answer: a double tap sends one press.
  const group = [...(button.closest('.buttons')?.querySelectorAll('button') ?? [button])];
  for (const other of group) other.disabled = true;
  button.setAttribute('aria-busy', 'true');
  showError(undefined);
  try {
    await post('/buttons', { messageId, action: b.action, payload: b.payload, clientId: newClientId() });
  } catch (err) {
    fail(err);
  } finally {
    button.removeAttribute('aria-busy');
    // A settling press re-renders the message from the server (marked, the others off); until then, or otherwise, they come back.
    for (const other of group) if (other.isConnected && !other.classList.contains('is-chosen') && !other.classList.contains('is-disabled')) other.disabled = false;
  }
};

ui.signIn.addEventListener('submit', (ev) => { ev.preventDefault(); void signIn(ui.code.value.trim()); });
ui.switchBox.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const code = state.pendingCode;
  hideSwitch();
  void signIn(code, true);
});
ui.switchCancel.addEventListener('click', () => { hideSwitch(); showError(undefined); });
ui.sendCode.addEventListener('submit', (ev) => { ev.preventDefault(); void requestCode(ui.who.value.trim()); });
ui.composer.addEventListener('submit', (ev) => { ev.preventDefault(); void sendMessage(); });
ui.text.addEventListener('keydown', (ev) => {
  // isComposing: Vietnamese input methods confirm a syllable with Enter; that Enter is not "send".
  if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); ui.composer.requestSubmit(); }
  if (ev.key === 'Escape' && state.replyTo) { state.replyTo = undefined; renderReplyBox(); }
});
ui.replyCancel.addEventListener('click', () => { state.replyTo = undefined; renderReplyBox(); ui.text.focus(); });
ui.lang.addEventListener('click', () => {
  toggleLanguage();
  applyLanguage();
  // Signed in: the bot's messages follow too (the person's one language setting, for every channel).
  if (state.signedIn) post('/language', { language: lang.current, clientId: newClientId() }).catch(fail);
});
// The person's language changed (`/lang` in any chat, the button in another tab): the stream says so,
// whichever process recorded it, and when it (re)connects.
pageEvents.language = (data) => { if (state.signedIn && showLanguage(data.language)) applyLanguage(); };
ui.signOut.addEventListener('click', async () => {
  try { await api('POST', '/sign-out', {}); } catch { /* signed out either way */ }
  signedOut();
  showStatus('signedOut');
  ui.code.focus();
});

/**
 * A link's `?code=` never signs in by itself (a link on another site could sign a visitor into
 * someone else's account): it is only put in the sign-in box, or, when this tab is signed in
 * already, offered as a switch the person must confirm.
 */
async function boot() {
  initUploads(showError);
  initNotify();
  initInbox();
  applyLanguage();
  const params = new URLSearchParams(location.search);
  const code = params.get('code')?.trim();
  if (code !== undefined) {
    // The code is a credential: take it out of the address bar and history before anything else.
    params.delete('code');
    const query = params.toString();
    history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
  }
  let session;
  try {
    session = await api('GET', '/session');
  } catch (err) {
    signedOut();
    if (!(err instanceof ApiError && err.status === 401)) fail(err);
  }
  if (session) {
    await signedIn(session);
    if (code) askToSwitch(code);
    return;
  }
  if (code) {
    ui.code.value = code;
    showStatus('codeFromLink');
    ui.signIn.querySelector('button[type="submit"]').focus();
  }
}

void boot();
