// The web channel's chat page: sign-in with an invite code, then the conversation with the bot.
// Plain browser JavaScript (no framework, no build step); talks only to /web/api on this origin.
// Browser objects are read from globalThis so the repository's Node-oriented lint config applies.
const { document, localStorage, history, location, EventSource, URLSearchParams, fetch, crypto, setTimeout, clearTimeout } = globalThis;

const API = '/web/api';
const LANG_KEY = 'liaison.lang';
const STRINGS = {
  vi: {
    title: 'Mạng lưới phát ngôn', pageTitle: 'Mạng lưới phát ngôn — Trò chuyện', skip: 'Chuyển tới ô soạn tin',
    signInTitle: 'Đăng nhập', signInHelp: 'Nhập mã mời bạn nhận được từ điều phối viên.', codeLabel: 'Mã mời',
    signIn: 'Đăng nhập', signOut: 'Đăng xuất', chatTitle: 'Cuộc trò chuyện', composer: 'Soạn tin', messageLabel: 'Tin nhắn',
    send: 'Gửi', hint: 'Enter để gửi, Shift+Enter để xuống dòng.', reply: 'Trả lời', replyTo: 'Trả lời tin nhắn của bot',
    replyingTo: 'Đang trả lời: ', cancelReply: 'Bỏ trả lời', you: 'Bạn', bot: 'Bot', quoteOf: 'Trả lời cho: ',
    earlier: '(tin nhắn trước đó)', langButton: 'English', langLabel: 'Switch to English', langOther: 'en',
    signingIn: 'Đang đăng nhập…', loading: 'Đang tải tin nhắn…', reconnecting: 'Mất kết nối, đang kết nối lại…',
    connected: 'Đã kết nối.', signedOut: 'Bạn đã đăng xuất.', sending: 'Đang gửi…',
    network: 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.', emptyCode: 'Vui lòng nhập mã mời.',
  },
  en: {
    title: 'Press liaison network', pageTitle: 'Press liaison network — Chat', skip: 'Skip to the message box',
    signInTitle: 'Sign in', signInHelp: 'Enter the invite code you received from your coordinator.', codeLabel: 'Invite code',
    signIn: 'Sign in', signOut: 'Sign out', chatTitle: 'Conversation', composer: 'Write a message', messageLabel: 'Message',
    send: 'Send', hint: 'Enter sends, Shift+Enter starts a new line.', reply: 'Reply', replyTo: 'Reply to the bot’s message',
    replyingTo: 'Replying to: ', cancelReply: 'Cancel reply', you: 'You', bot: 'Bot', quoteOf: 'In reply to: ',
    earlier: '(earlier message)', langButton: 'Tiếng Việt', langLabel: 'Chuyển sang tiếng Việt', langOther: 'vi',
    signingIn: 'Signing in…', loading: 'Loading messages…', reconnecting: 'Connection lost, reconnecting…',
    connected: 'Connected.', signedOut: 'You have signed out.', sending: 'Sending…',
    network: 'Could not reach the server. Please check your connection and try again.', emptyCode: 'Please enter your invite code.',
  },
};

const $ = (id) => document.getElementById(id);
const ui = {
  signIn: $('sign-in'), code: $('invite-code'), chat: $('chat'), list: $('messages'), composer: $('composer'),
  text: $('composer-text'), replyBox: $('reply-to'), replyText: $('reply-to-text'), replyCancel: $('reply-cancel'),
  status: $('status'), error: $('error'), lang: $('lang-toggle'), signOut: $('sign-out'),
};
const state = {
  lang: readLang(), csrf: '', signedIn: false, lastId: 0, entries: new Map(), replyTo: undefined,
  source: undefined, retryTimer: undefined, retryMs: 3000, error: undefined, status: '',
};

function readLang() {
  try { return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi'; } catch { return 'vi'; }
}
const t = (key) => STRINGS[state.lang][key];

/** An element with properties and children (strings become text, never HTML). */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'className' || name === 'textContent' || name === 'hidden') node[name] = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

// ---- Language, status and errors -------------------------------------------------------------

function applyLanguage() {
  document.documentElement.lang = state.lang;
  document.title = t('pageTitle');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  ui.composer.setAttribute('aria-label', t('composer'));
  ui.replyCancel.setAttribute('aria-label', t('cancelReply'));
  ui.lang.textContent = t('langButton');
  ui.lang.lang = t('langOther');
  ui.lang.setAttribute('aria-label', t('langLabel'));
  showStatus(state.status);
  showError(state.error);
  renderAll();
  renderReplyBox();
}

/** `key` is a string key, or '' to clear. */
function showStatus(key) {
  state.status = key;
  ui.status.textContent = key ? t(key) : '';
}

/** `error` is an API refusal `{message_vi, message_en}`, a string key, or undefined to clear. */
function showError(error) {
  state.error = error;
  ui.error.hidden = error === undefined;
  if (error === undefined) ui.error.textContent = '';
  else if (typeof error === 'string') ui.error.textContent = t(error);
  else ui.error.textContent = (state.lang === 'en' ? error.message_en : error.message_vi) ?? t('network');
}

// ---- API ---------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, body) { super(body.error ?? `HTTP ${status}`); this.status = status; this.body = body; }
}

async function api(method, path, body) {
  const headers = body === undefined ? {} : { 'content-type': 'application/json', 'x-csrf-token': state.csrf };
  const res = await fetch(`${API}${path}`, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

const wait = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/** A state-changing POST, retried with the same body (same clientId) while the service is busy or unreachable. */
async function post(path, body, attempts = 3) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await api('POST', path, body);
    } catch (err) {
      const retryable = !(err instanceof ApiError) || err.status === 503;
      if (!retryable || attempt >= attempts) throw err;
      await wait(1000 * attempt);
    }
  }
}

/** Shows a failure: an expired session returns to the sign-in form; the rest are shown as they are. */
function fail(err) {
  if (err instanceof ApiError && err.status === 401) signedOut();
  showError(err instanceof ApiError && err.body.message_vi ? err.body : 'network');
}

function newClientId() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context; plain http on a LAN address has only getRandomValues.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

// ---- Messages ------------------------------------------------------------------------------------

const excerpt = (text, max = 90) => { const flat = text.replace(/\s+/g, ' ').trim(); return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat; };

function renderEntry(entry) {
  const item = el('li', { className: `msg msg-${entry.from}${entry.replyTo ? ' is-reply' : ''}`, id: `m-${entry.id}`, tabindex: '-1' });
  if (entry.replyTo) {
    const original = state.entries.get(entry.replyTo);
    const quoteText = original ? excerpt(original.text) : t('earlier');
    item.append(original
      ? el('a', { className: 'quote', href: `#m-${entry.replyTo}`, onclick: (ev) => { ev.preventDefault(); jumpTo(entry.replyTo); } },
        el('span', { className: 'visually-hidden' }, t('quoteOf')), quoteText)
      : el('p', { className: 'quote' }, quoteText));
  }
  const time = new Date(entry.at);
  const bubble = el('div', { className: 'bubble' },
    el('span', { className: 'sender' }, entry.from === 'bot' ? t('bot') : t('you')),
    el('p', { className: 'text' }, entry.text),
    el('time', { datetime: entry.at }, Number.isNaN(time.getTime()) ? '' : time.toLocaleTimeString(state.lang === 'en' ? 'en-GB' : 'vi-VN', { hour: '2-digit', minute: '2-digit' })));
  item.append(bubble);
  if (entry.buttons?.length) {
    bubble.append(el('div', { className: 'buttons' }, ...entry.buttons.map((row) => el('div', { className: 'button-row' },
      ...row.map((b) => el('button', { type: 'button', className: 'action', onclick: (ev) => press(ev.currentTarget, entry.id, b) }, b.label))))));
  }
  if (entry.from === 'bot') {
    item.append(el('button', { type: 'button', className: 'reply-button', 'aria-label': `${t('replyTo')}: ${excerpt(entry.text, 40)}`, onclick: () => setReply(entry.id) }, t('reply')));
  }
  return item;
}

/** Adds an entry once (by id), in id order; keeps the view at the bottom when it was there. */
function addEntry(entry) {
  if (!entry || typeof entry.id !== 'string' || state.entries.has(entry.id)) return;
  state.entries.set(entry.id, entry);
  state.lastId = Math.max(state.lastId, Number(entry.id));
  const atBottom = ui.list.scrollHeight - ui.list.scrollTop - ui.list.clientHeight < 80;
  const next = [...ui.list.children].find((node) => Number(node.id.slice(2)) > Number(entry.id));
  ui.list.insertBefore(renderEntry(entry), next ?? null);
  if (atBottom || entry.from === 'user') ui.list.scrollTop = ui.list.scrollHeight;
}

function renderAll() {
  const sorted = [...state.entries.values()].sort((a, b) => Number(a.id) - Number(b.id));
  ui.list.replaceChildren(...sorted.map(renderEntry));
}

function jumpTo(id) {
  const target = $(`m-${id}`);
  if (!target) return;
  target.scrollIntoView({ block: 'center', behavior: 'smooth' });
  target.focus({ preventScroll: true });
  target.classList.add('highlight');
  setTimeout(() => target.classList.remove('highlight'), 2000);
}

function setReply(id) {
  state.replyTo = id;
  renderReplyBox();
  ui.text.focus();
}

function renderReplyBox() {
  const original = state.replyTo && state.entries.get(state.replyTo);
  ui.replyBox.hidden = !original;
  ui.replyText.textContent = original ? `${t('replyingTo')}${excerpt(original.text, 60)}` : '';
}

async function catchUp() {
  const data = await api('GET', `/messages?after=${state.lastId}`);
  for (const entry of data.messages ?? []) addEntry(entry);
}

// ---- Live updates --------------------------------------------------------------------------------

function connectEvents() {
  state.source?.close();
  const source = new EventSource(`${API}/events`);
  state.source = source;
  source.addEventListener('open', () => {
    state.retryMs = 3000;
    if (state.status === 'reconnecting') showStatus('connected');
    // Messages sent between the last load and this connection are not replayed by the stream
    // (the first connection has no Last-Event-ID): fetch them. Duplicates are dropped by id.
    catchUp().catch(() => undefined);
  });
  source.addEventListener('message', (ev) => { try { addEntry(JSON.parse(ev.data)); } catch { /* a malformed entry is skipped */ } });
  source.addEventListener('error', () => {
    if (state.source !== source) return;
    showStatus('reconnecting');
    // CONNECTING: the browser retries by itself (sending Last-Event-ID). CLOSED: we start again.
    if (source.readyState === EventSource.CLOSED) scheduleReconnect();
  });
}

function scheduleReconnect() {
  clearTimeout(state.retryTimer);
  state.retryTimer = setTimeout(async () => {
    try {
      await catchUp();
      connectEvents();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) { fail(err); return; }
      state.retryMs = Math.min(state.retryMs * 2, 30000);
      scheduleReconnect();
    }
  }, state.retryMs);
}

function stopEvents() {
  clearTimeout(state.retryTimer);
  state.source?.close();
  state.source = undefined;
}

// ---- Screens and actions -------------------------------------------------------------------------

async function signedIn(session) {
  state.csrf = session.csrfToken;
  state.signedIn = true;
  ui.signIn.hidden = true;
  ui.chat.hidden = false;
  ui.signOut.hidden = false;
  showStatus('loading');
  try {
    await catchUp();
    showStatus('');
    connectEvents();
  } catch (err) {
    fail(err);
  }
  ui.text.focus();
}

function signedOut() {
  stopEvents();
  Object.assign(state, { csrf: '', signedIn: false, lastId: 0, replyTo: undefined });
  state.entries.clear();
  ui.list.replaceChildren();
  renderReplyBox();
  ui.chat.hidden = true;
  ui.signOut.hidden = true;
  ui.signIn.hidden = false;
}

async function signIn(code) {
  showError(undefined);
  if (!code) { showError('emptyCode'); ui.code.focus(); return; }
  showStatus('signingIn');
  try {
    const session = await api('POST', '/sign-in', { code });
    ui.code.value = '';
    await signedIn(session);
  } catch (err) {
    showStatus('');
    fail(err);
    ui.code.focus();
  }
}

async function sendMessage() {
  const text = ui.text.value;
  if (text.trim() === '') return;
  const send = ui.composer.querySelector('button[type="submit"]');
  send.disabled = true;
  showError(undefined);
  try {
    const body = { text, clientId: newClientId(), ...(state.replyTo ? { replyTo: state.replyTo } : {}) };
    await post('/messages', body);
    ui.text.value = '';
    state.replyTo = undefined;
    renderReplyBox();
    await catchUp();
  } catch (err) {
    fail(err);
  } finally {
    send.disabled = false;
    if (state.signedIn) ui.text.focus();
  }
}

async function press(button, messageId, b) {
  button.disabled = true;
  showError(undefined);
  try {
    await post('/buttons', { messageId, action: b.action, payload: b.payload, clientId: newClientId() });
  } catch (err) {
    fail(err);
  } finally {
    button.disabled = false;
  }
}

ui.signIn.addEventListener('submit', (ev) => { ev.preventDefault(); void signIn(ui.code.value.trim()); });
ui.composer.addEventListener('submit', (ev) => { ev.preventDefault(); void sendMessage(); });
ui.text.addEventListener('keydown', (ev) => {
  // isComposing: Vietnamese input methods confirm a syllable with Enter; that Enter is not "send".
  if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); ui.composer.requestSubmit(); }
  if (ev.key === 'Escape' && state.replyTo) { state.replyTo = undefined; renderReplyBox(); }
});
ui.replyCancel.addEventListener('click', () => { state.replyTo = undefined; renderReplyBox(); ui.text.focus(); });
ui.lang.addEventListener('click', () => {
  state.lang = state.lang === 'vi' ? 'en' : 'vi';
  try { localStorage.setItem(LANG_KEY, state.lang); } catch { /* private mode: the choice lasts this visit */ }
  applyLanguage();
});
ui.signOut.addEventListener('click', async () => {
  try { await api('POST', '/sign-out', {}); } catch { /* signed out either way */ }
  signedOut();
  showStatus('signedOut');
  ui.code.focus();
});

async function boot() {
  applyLanguage();
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (code !== null) {
    // The code is a credential: take it out of the address bar and history before using it.
    params.delete('code');
    const query = params.toString();
    history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
    await signIn(code.trim());
    return;
  }
  try {
    await signedIn(await api('GET', '/session'));
  } catch (err) {
    signedOut();
    if (!(err instanceof ApiError && err.status === 401)) fail(err);
  }
}

void boot();
