// The inbox beside the chat (issue #14): the person's lists by role, search without diacritics,
// similar questions offered before a reporter sends one, and the switch between an inquiry's
// thread and the conversation with the bot. Its own module, wired into app.js by four calls.
import { runAction } from './action-result.js';
import { api } from './api.js';
import { el, showError, ui } from './dom.js';
import { dayLabel, it } from './inbox-i18n.js';
import { lang } from './i18n.js';
import { initOlder, renderOlder, resetOlder } from './older.js';
import { pageEvents } from './live.js';
import { capUnread } from './notify.js';
import { closeThread, initThread, openThread, refreshThread, threadId, threadOpen } from './thread.js';

const { document, setTimeout, clearTimeout, MutationObserver, sessionStorage } = globalThis;
const VIEW_KEY = 'liaison.view';

const box = { stale: false, threadStale: false, readElsewhere: false, data: undefined, results: undefined, query: '', similarFor: '', dismissed: new Set(), timer: undefined, refreshTimer: undefined };
const nodes = {};

/** A row's due text; an overdue one is marked for the eye and for screen readers alike (the words say it). */
function dueText(due) {
  const words = it('dueText')[due?.kind ?? 'none'];
  return words ? words(due.n) : '';
}

/** A list row; `followed`: another reporter's question the person follows (it opens the follower's view). */
function row(item, followed = false) {
  const over = item.due?.kind?.startsWith('over_');
  const agency = lang.current === 'en' && item.agencyEn ? item.agencyEn : item.agency;
  return el('li', { className: 'inbox-row' },
    el('button', { type: 'button', className: `inbox-open${item.unread > 0 ? ' has-unread' : ''}`, onclick: () => show('thread', item.id, followed) },
      el('span', { className: 'row-top' },
        el('span', { className: 'row-code' }, item.code),
        el('span', { className: 'row-title' }, item.title),
        ...(item.unread > 0 ? [el('span', { className: 'row-unread' }, it('unread')(item.unread))] : [])),
      el('span', { className: 'row-meta' },
        el('span', {}, agency ?? '—'),
        el('span', { className: `row-status status-${item.status}` }, it('status')[item.status] ?? item.status),
        ...(dueText(item.due) ? [el('span', { className: `row-due${over ? ' is-over' : ''}` }, dueText(item.due))] : []))));
}

function section(id, title, items, extra = []) {
  return el('section', { className: 'inbox-section', 'aria-labelledby': `inbox-${id}` },
    el('h3', { id: `inbox-${id}` }, `${title} (${items.length})`), ...extra,
    items.length > 0 ? el('ul', { className: 'inbox-list' }, ...items.map((item) => row(item, id === 'following')))
      : el('p', { className: 'inbox-empty' }, it(id === 'following' ? 'emptyFollowing' : 'empty')));
}

function renderList() {
  const parts = [];
  if (box.results) parts.push(section('results', it('results'), box.results));
  else if (box.data) {
    for (const s of box.data.sections) parts.push(section(s.name, it(s.name), s.items));
    if (box.data.registrations.length > 0) {
      parts.push(el('section', { className: 'inbox-section', 'aria-labelledby': 'inbox-registrations' },
        el('h3', { id: 'inbox-registrations' }, `${it('registrations')} (${box.data.registrations.length})`),
        el('p', { className: 'inbox-empty' }, it('registrationHint')),
        el('ul', { className: 'inbox-list' }, ...box.data.registrations.map((r) => el('li', { className: 'inbox-row reg' }, `${r.name}${r.outlet ? ` — ${r.outlet}` : ''} (${it('since')} ${dayLabel(r.since)})`)))));
    }
  } else parts.push(el('p', { className: 'inbox-empty' }, it('loadingList')));
  nodes.lists.replaceChildren(...parts);
}

/**
 * The stream says the inbox changed (a new inquiry in scope, a status or due time, a new entry or
 * deadline event, a registration), whoever changed it and in whichever process: reload the lists,
 * and the open thread when it is among the inquiries; several changes in a row reload once.
 */
function inboxChanged(change) {
  if (nodes.inbox.hidden) return;
  if (threadOpen() && (change.all || (change.inquiries ?? []).includes(threadId()))) box.threadStale = true;
  // The person read a thread (here, in another tab or on another device): the counts, and the
  // tab's title count, follow now even when the lists are not on screen.
  if ((change.read ?? []).length > 0) box.readElsewhere = true;
  // Not on screen (a phone showing the chat): reload when the lists are shown again.
  if (nodes.inbox.offsetParent === null && !threadOpen() && !box.readElsewhere) { box.stale = true; return; }
  clearTimeout(box.refreshTimer);
  box.refreshTimer = setTimeout(() => { void refreshInbox(box.threadStale); box.threadStale = false; }, 300);
}

/** Reloads the lists (and, when `thread` is true, the open thread's newest page). */
export async function refreshInbox(thread = true) {
  try {
    const read = box.readElsewhere;
    box.readElsewhere = false;
    box.data = await api('GET', '/inbox');
    renderList();
    if (read) capUnread(unreadTotal());
    if (thread && threadOpen()) await refreshThread();
  } catch (err) {
    if (err?.status !== 401) showError(err?.body?.message_vi ? err.body : 'network');
  }
}

/** Unread entries over the person's inquiries (one inquiry may be in two lists: counted once). */
function unreadTotal() {
  const byId = new Map();
  for (const s of box.data?.sections ?? []) for (const item of s.items) byId.set(item.id, item.unread);
  return [...byId.values()].reduce((sum, n) => sum + n, 0);
}

async function search(query) {
  box.query = query.trim();
  if (box.query === '') { box.results = undefined; renderList(); return; }
  try {
    box.results = (await api('GET', `/inbox/search?q=${encodeURIComponent(box.query)}`)).items;
    renderList();
    nodes.lists.querySelector('h3')?.focus?.();
  } catch (err) { showError(err?.body?.message_vi ? err.body : 'network'); }
}

/** Whether the signed-in person asks questions (their lists include their own questions). */
const asksQuestions = () => box.data?.sections?.some((s) => s.name === 'mine') ?? false;

/**
 * Before a reporter sends a question: similar open or answered ones, each one click away and each
 * naming its topic (the question's own is not known yet). With text in the composer, like that text;
 * with the composer empty, like the question the bot asks them to place in a topic (`instead`:
 * following one then is instead of sending it, and the bot ends that dialog). Once the topic is
 * chosen, nothing here: the bot's confirmation names that topic's similar questions itself.
 */
async function offerSimilar() {
  const text = ui.text.value.trim();
  if (text !== '' && (text.startsWith('/') || text.length < 12 || text === box.similarFor)) return;
  box.similarFor = text;
  let answer = {};
  try { answer = await api('GET', `/inbox/similar?text=${encodeURIComponent(text.slice(0, 2000))}`); } catch { answer = {}; }
  // The person typed on meanwhile: a newer request answers for the newer text.
  if (ui.text.value.trim() !== text) return;
  const items = (answer.items ?? []).filter((s) => !box.dismissed.has(s.id));
  const topicOf = (s) => (lang.current === 'en' && s.topicEn ? s.topicEn : s.topic);
  nodes.similar.hidden = items.length === 0;
  nodes.similar.replaceChildren(...items.slice(0, 2).map((s) => el('div', { className: 'similar-line' },
    el('span', {}, it('similarLine')(s.code, it('status')[s.status] ?? s.status, topicOf(s), answer.instead === true), el('span', { className: 'similar-title' }, ` “${s.title}”`)),
    // Another reporter's question is only named: its thread is theirs (the server would refuse it).
    ...(s.mine ? [el('button', { type: 'button', className: 'small-button', onclick: () => show('thread', s.id) }, it('open'))]
      : [el('button', { type: 'button', className: `small-button${s.following ? ' secondary' : ''}`, 'aria-pressed': String(Boolean(s.following)), onclick: (ev) => void toggleFollow(ev.currentTarget, s) }, it(s.following ? 'unfollow' : 'follow'))]),
    ...(s.following ? [el('span', { className: 'similar-following' }, it('followingNow')(s.code)),
      el('button', { type: 'button', className: 'small-button secondary', onclick: () => show('thread', s.id, true) }, it('open'))] : []),
    el('button', { type: 'button', className: 'small-button secondary', onclick: () => { box.dismissed.add(s.id); box.similarFor = ''; void offerSimilar(); } }, it('dismiss')))));
}

/**
 * Follows (or stops following) another reporter's similar question through the workspace's action
 * API: the server checks the role and the question's state as for `/follow Q-12` typed in a chat;
 * the bot's answer (followed, or why not) is shown under the offer as well as in the chat.
 */
async function toggleFollow(button, s) {
  button.disabled = true;
  const answer = await runAction({ action: s.following ? 'unfollow' : 'follow', code: s.code }, nodes.similarResult);
  box.similarFor = '';
  await offerSimilar();
  if (answer === undefined && button.isConnected) button.disabled = false;
}

/**
 * Shows one view: `inbox` (the lists; beside the chat on a wide screen), `thread` (one inquiry),
 * or `chat` (the conversation with the bot). `readOnly`: another reporter's question the person
 * follows, opened in the follower's view (the server decides what may be seen).
 */
export function show(view, id, readOnly = false) {
  const page = document.body;
  page.dataset.view = view;
  nodes.tabInbox.setAttribute('aria-pressed', String(view !== 'chat'));
  nodes.tabChat.setAttribute('aria-pressed', String(view === 'chat'));
  if (view === 'thread') void openThread(id, readOnly);
  else closeThread();
  if (view === 'inbox' && box.stale) { box.stale = false; void refreshInbox(); }
  if (view === 'chat') ui.text.focus();
}

/** The view the person chose in this tab, kept over a reload. */
function remember(view) {
  try { sessionStorage.setItem(VIEW_KEY, view); } catch { /* private mode: not remembered */ }
}

/** Builds the inbox's elements around the chat; called once at boot. */
export function initInbox() {
  document.head.append(el('link', { rel: 'stylesheet', href: '/web/inbox.css' }));
  nodes.tabInbox = el('button', { type: 'button', className: 'view-tab', 'aria-pressed': 'true', onclick: () => { remember('inbox'); show('inbox'); } });
  nodes.tabChat = el('button', { type: 'button', className: 'view-tab', 'aria-pressed': 'false', onclick: () => { remember('chat'); show('chat'); } });
  nodes.nav = el('nav', { className: 'views', hidden: true }, nodes.tabInbox, nodes.tabChat);
  nodes.searchInput = el('input', { id: 'inbox-search', type: 'search', maxlength: '200', autocomplete: 'off', 'aria-describedby': 'inbox-search-hint' });
  nodes.searchLabel = el('label', { for: 'inbox-search' });
  nodes.searchHint = el('p', { id: 'inbox-search-hint', className: 'hint' });
  nodes.searchButton = el('button', { type: 'submit', className: 'small-button' });
  nodes.form = el('form', { className: 'inbox-search', role: 'search', onsubmit: (ev) => { ev.preventDefault(); void search(nodes.searchInput.value); } },
    nodes.searchLabel, el('div', { className: 'composer-row' }, nodes.searchInput, nodes.searchButton), nodes.searchHint);
  nodes.searchInput.addEventListener('input', () => { if (nodes.searchInput.value.trim() === '' && box.results) void search(''); });
  nodes.lists = el('div', { className: 'inbox-lists' });
  nodes.title = el('h2', { id: 'inbox-title' });
  nodes.inbox = el('section', { id: 'inbox', className: 'inbox', 'aria-labelledby': 'inbox-title', hidden: true }, nodes.title, nodes.form, nodes.lists);
  const threadNode = initThread({ back: () => show('inbox'), refresh: () => refreshInbox(false) });
  nodes.workspace = el('div', { className: 'workspace' }, nodes.inbox, threadNode);
  ui.chat.replaceWith(nodes.workspace);
  nodes.workspace.append(ui.chat);
  nodes.workspace.before(nodes.nav);
  nodes.similar = el('div', { className: 'similar', role: 'status', hidden: true });
  // The answer to a follow pressed above: always in the page, so screen readers announce it when it arrives.
  nodes.similarResult = el('p', { className: 'action-result', role: 'status' });
  ui.composer.prepend(nodes.similar, nodes.similarResult);
  ui.text.addEventListener('input', () => { nodes.similarResult.textContent = ''; clearTimeout(box.timer); box.timer = setTimeout(() => { void offerSimilar(); }, 600); });
  // A new bot message may be the bot asking the topic, or to confirm, or taking the question: offer
  // what fits the waiting question now. (The lists themselves follow their own stream event below.)
  new MutationObserver(() => {
    if (nodes.inbox.hidden || !asksQuestions() || ui.text.value.trim() !== '') return;
    clearTimeout(box.timer);
    box.timer = setTimeout(() => { void offerSimilar(); }, 800);
  }).observe(ui.list, { childList: true });
  pageEvents.inbox = inboxChanged;
  initOlder();
  inboxLanguage();
}

/** Redraws in the page's language. */
export function inboxLanguage() {
  nodes.tabInbox.textContent = it('inbox');
  nodes.tabChat.textContent = it('bot');
  nodes.nav.setAttribute('aria-label', it('views'));
  nodes.title.textContent = it('inbox');
  nodes.searchLabel.textContent = it('searchLabel');
  nodes.searchHint.textContent = it('searchHint');
  nodes.searchButton.textContent = it('search');
  renderList();
  renderOlder();
  box.similarFor = '';
  nodes.similar.hidden = true;
  if (threadOpen()) void refreshThread();
}

/**
 * After signing in: the view this tab showed last (a reload keeps it); the first time, the inbox
 * when it holds something, else the chat (a new reporter starts by asking the bot).
 */
export async function inboxSignedIn() {
  resetOlder();
  nodes.nav.hidden = false;
  nodes.inbox.hidden = false;
  let saved;
  try { saved = sessionStorage.getItem(VIEW_KEY); } catch { saved = undefined; }
  show(saved === 'inbox' ? 'inbox' : 'chat');
  await refreshInbox();
  const empty = box.data && box.data.sections.every((s) => s.items.length === 0) && box.data.registrations.length === 0;
  if (!saved && box.data && !empty) show('inbox');
}

export function inboxSignedOut() {
  Object.assign(box, { data: undefined, results: undefined, similarFor: '' });
  box.dismissed.clear();
  nodes.nav.hidden = true;
  nodes.inbox.hidden = true;
  nodes.similar.hidden = true;
  delete document.body.dataset.view;
  resetOlder();
  closeThread();
  renderList();
}
