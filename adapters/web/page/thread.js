// One inquiry's thread (issue #14): its history in order with date dividers and an unread marker,
// older pages loaded when scrolled to the top, its actions as buttons and a composer that replies
// into it. Replies and buttons go through the chat API exactly as in the bot conversation (a reply
// to the bot's message about this inquiry; the same button), so the flows decide everything. An
// answer preview shows its text with its buttons, and [Sửa] edits it here, in the chat panel's box.
import { runAction } from './action-result.js';
import { api, newClientId, post } from './api.js';
import { editPlace, isPreviewEdit, previewLook, saveDraft } from './draft-edit.js';
import { el, showError, state, ui } from './dom.js';
import { followerBar, followerItems, signedBy, viewPath } from './followed.js';
import { dayKey, dayLabel, it, timeLabel } from './inbox-i18n.js';
import { lang, t } from './i18n.js';

const { document, IntersectionObserver, MutationObserver, setTimeout } = globalThis;

/**
 * `awaitAfter`: saved when the chat's newest message was this one — the thread says it is saving
 * until the bot's next message (the new preview) arrives.
 */
const th = { id: undefined, data: undefined, items: [], before: undefined, loadingOlder: false, readOnly: false, sending: false, awaitAfter: undefined };
/** The answer preview being edited in the thread, if any (draft-edit.js). */
const box = editPlace('thread-edit-text', () => { if (th.data) renderActions(); }, () => n.actions);
const n = {};
let hooks = { back: () => undefined, refresh: () => undefined };

export const threadOpen = () => th.id !== undefined;
/** The open thread's inquiry id (a number), if any. */
export const threadId = () => (th.id === undefined ? undefined : Number(th.id));

function failed(err) { showError(err?.body?.message_vi ? err.body : 'network'); }

function itemNode(item) {
  const label = it('kinds')[item.kind] ?? item.kind;
  const who = signedBy(item) ?? (item.source === 'entry' ? '' : it('system'));
  const text = item.source === 'entry' ? item.text : '';
  return el('li', { className: `t-item t-${item.source} t-kind-${item.kind.replace(/\W/g, '-')}`, id: `t-${item.key.replace(/\W/g, '-')}` },
    el('div', { className: 't-head' }, el('span', { className: 't-label' }, label), who ? el('span', { className: 't-by' }, `${it('by')} ${who}`) : '',
      el('time', { datetime: item.at }, timeLabel(item.at))),
    ...(text ? [el('p', { className: 'text' }, text)] : []));
}

/** The items with a divider before each new local day and the "new" marker before the first unread. */
function renderItems() {
  const out = [];
  let day = '';
  for (const item of th.items) {
    const key = dayKey(item.at);
    if (key !== day) { day = key; out.push(el('li', { className: 't-divider' }, el('span', {}, dayLabel(item.at)))); }
    if (item.key === th.data?.firstUnread) out.push(el('li', { className: 't-unread', id: 't-unread-marker' }, el('span', {}, it('newMarker'))));
    out.push(itemNode(item));
  }
  n.list.replaceChildren(n.sentinel, ...out);
  n.sentinel.hidden = !th.before;
  n.olderButton.textContent = th.loadingOlder ? it('loadingOlder') : it('older');
}

function renderHeader() {
  const q = th.data.inquiry;
  const due = it('dueText')[q.due?.kind ?? 'none'];
  const agency = lang.current === 'en' && q.agencyEn ? q.agencyEn : q.agency;
  const topic = lang.current === 'en' && q.topicEn ? q.topicEn : q.topic;
  n.title.textContent = `${q.code} — ${q.title}`;
  n.meta.replaceChildren(
    el('span', { className: `row-status status-${q.status}` }, it('status')[q.status] ?? q.status),
    el('span', {}, `${it('agency')}: ${agency ?? '—'}`),
    ...(topic ? [el('span', {}, `${it('topic')}: ${topic}`)] : []),
    ...(due && due(q.due.n) ? [el('span', { className: `row-due${q.due.kind.startsWith('over_') ? ' is-over' : ''}` }, `${it('due')}: ${due(q.due.n)}`)] : []));
}

/** An answer preview among the actions: its text and buttons, or the edit box while [Sửa] is open. */
function previewNode(g) {
  const form = box.form(g.messageId, () => void saveEdit());
  return el('article', { className: 'preview-item', 'data-preview': g.messageId },
    el('h4', {}, t('previewTitle')),
    ...(form ? [form] : [
      el('p', { className: 'text', tabindex: '0' }, g.preview),
      el('div', { className: 'button-row' }, ...g.buttons.map((b) => el('button', {
        type: 'button', className: `action action-${previewLook(b.action)}`,
        onclick: (ev) => (isPreviewEdit(b.action) ? void box.start(g.messageId) : press(ev.currentTarget, g.messageId, b)),
      }, b.label)))]));
}

function renderActions() {
  const groups = th.readOnly ? [] : th.data.buttons;
  // The box being edited stays while its preview is shown; the preview settled elsewhere takes it away.
  box.keepIf((id) => groups.some((g) => g.messageId === id));
  const typing = box.editing && document.activeElement === box.editing.textarea;
  n.actions.hidden = groups.length === 0 && th.awaitAfter === undefined && !th.readOnly;
  n.actions.replaceChildren(el('h3', { className: 'visually-hidden' }, it('actions')),
    ...(th.readOnly ? [followerBar(th.data.inquiry.code, n.mergeResult, () => hooks.back())] : []), ...groups.map((g) => (g.preview === undefined
    ? el('div', { className: 'button-row' },
      ...g.buttons.map((b) => el('button', { type: 'button', className: `action action-${b.style ?? 'primary'}`, onclick: (ev) => press(ev.currentTarget, g.messageId, b) }, b.label)))
    : el('section', { className: 'answer-preview thread-preview' }, previewNode(g)))),
  ...(th.awaitAfter !== undefined ? [el('p', { className: 'hint', role: 'status' }, t('savingDraft'))] : []));
  if (typing) box.editing.textarea.focus();
  const dups = th.data.duplicates ?? [];
  n.dups.hidden = dups.length === 0;
  n.dups.replaceChildren(el('h3', {}, it('duplicates')), el('p', { className: 'hint' }, it('duplicatesHint')),
    el('ul', { className: 'inbox-list' }, ...dups.map((d) => el('li', { className: 'dup-row' },
      el('button', { type: 'button', className: 'link-button', onclick: () => openThread(d.id) }, `${d.code} — ${d.title} (${it('status')[d.status] ?? d.status})`),
      el('button', { type: 'button', className: 'small-button', onclick: (ev) => void mergeInto(ev.currentTarget, d) }, it('mergeInto')(d.code))))));
  const canReply = !th.readOnly && th.data.reply;
  n.composer.hidden = th.readOnly || th.data.inquiry.role === 'coordinator';
  n.text.disabled = !canReply;
  n.send.disabled = !canReply || th.sending;
  n.replyHint.textContent = canReply ? (th.data.inquiry.mine ? it('replyHintReporter') : it('replyHintStaff')) : it('noReply');
  n.label.textContent = it('replyLabel');
  n.send.textContent = it('send');
  n.back.textContent = it('back');
}

function render() {
  if (!th.data) return;
  renderHeader();
  renderItems();
  renderActions();
}

/** Merges a page of items into what is shown (by key; the server sends them oldest first). */
function merge(items) {
  const byKey = new Map(th.items.map((x) => [x.key, x]));
  for (const x of items) byKey.set(x.key, x);
  th.items = [...byKey.values()].sort((a, b) => (a.at === b.at ? (a.key < b.key ? -1 : 1) : a.at < b.at ? -1 : 1));
}

/** Opens inquiry `id`'s thread; `readOnly`: another reporter's question the person follows (the follower's view). */
export async function openThread(id, readOnly = false) {
  Object.assign(th, { id, data: undefined, items: [], before: undefined, readOnly });
  n.root.hidden = false;
  n.title.textContent = '…';
  n.list.replaceChildren();
  if (n.mergeResult) n.mergeResult.textContent = '';
  try {
    const data = await api('GET', viewPath(id, readOnly));
    if (th.id !== id) return;
    th.data = data;
    th.before = data.before;
    merge(readOnly ? followerItems(data) : data.items);
    render();
    const marker = n.list.querySelector('#t-unread-marker');
    if (marker) marker.scrollIntoView({ block: 'center' }); else n.list.scrollTop = n.list.scrollHeight;
    n.title.focus();
    hooks.refresh();
  } catch (err) {
    failed(err);
    hooks.back();
  }
}

/** Fetches the newest page again (a reply or an answer arrived) and keeps the older pages shown. */
export async function refreshThread() {
  const id = th.id;
  try {
    const data = await api('GET', viewPath(id, th.readOnly));
    if (th.id !== id) return;
    const atBottom = n.list.scrollHeight - n.list.scrollTop - n.list.clientHeight < 80;
    th.data = { ...data, firstUnread: th.data?.firstUnread ?? data.firstUnread };
    if (th.items.length === 0) th.before = data.before;
    merge(th.readOnly ? followerItems(data) : data.items);
    render();
    if (atBottom) n.list.scrollTop = n.list.scrollHeight;
  } catch (err) {
    // No longer followed (stopped in another tab): nothing of it is the person's to see any more.
    if (th.readOnly && err?.status === 403) hooks.back(); else failed(err);
  }
}

async function loadOlder() {
  if (!th.before || th.loadingOlder) return;
  th.loadingOlder = true;
  n.olderButton.textContent = it('loadingOlder');
  const id = th.id;
  try {
    const data = await api('GET', `/inbox/thread?id=${id}&before=${encodeURIComponent(th.before)}`);
    if (th.id !== id) return;
    const height = n.list.scrollHeight;
    th.before = data.before;
    merge(data.items);
    th.loadingOlder = false;
    render();
    // Keep the message the person was reading where it was.
    n.list.scrollTop += n.list.scrollHeight - height;
  } catch (err) { failed(err); } finally { th.loadingOlder = false; }
}

/** [Lưu bản nháp]: the draft takes the new text and the bot previews it again (nothing is sent). */
async function saveEdit() {
  const editing = box.begin();
  if (!editing) return;
  // The chat's newest message before the save: the bot's answer may arrive before the POST's own.
  const before = state.lastId;
  const outcome = await saveDraft(editing);
  editing.busy = false;
  if (outcome !== 'failed') box.editing = undefined;
  th.awaitAfter = outcome === 'saved' ? before : undefined;
  if (!th.data) return;
  renderActions();
  if (outcome === 'failed') editing.textarea.focus();
  else n.title.focus();
  if (outcome === 'settled') void refreshThread();
  else previewArrived();
}

/** After a save, once the bot's next message is in the chat: the thread shows the new preview. */
function previewArrived() {
  const after = th.awaitAfter;
  if (after === undefined || !threadOpen() || ![...state.entries.values()].some((e) => e.from === 'bot' && Number(e.id) > after)) return;
  th.awaitAfter = undefined;
  void refreshThread();
}

export function closeThread() {
  Object.assign(th, { id: undefined, data: undefined, items: [], before: undefined, awaitAfter: undefined });
  box.editing = undefined;
  if (n.mergeResult) n.mergeResult.textContent = '';
  if (n.root) n.root.hidden = true;
}

async function press(button, messageId, b) {
  button.disabled = true;
  showError(undefined);
  try {
    await post('/buttons', { messageId, action: b.action, payload: b.payload, clientId: newClientId() });
    setTimeout(() => { void refreshThread(); }, 1000);
  } catch (err) { failed(err); button.disabled = false; }
}

/**
 * One-click merge of the screened question into a likely duplicate, through the workspace's action
 * API: the server's merge handler and the lifecycle table decide (role, scope, state), as for
 * `/merge` typed in a chat; the bot's answer (merged, or why not) is shown under the list.
 */
async function mergeInto(button, d) {
  button.disabled = true;
  const answer = await runAction({ action: 'merge', code: th.data.inquiry.code, into: d.code }, n.mergeResult);
  if (answer === undefined && button.isConnected) button.disabled = false;
  else void refreshThread();
}

async function send() {
  const text = n.text.value;
  if (!th.data?.reply || text.trim() === '' || th.sending) return;
  th.sending = true;
  n.send.disabled = true;
  showError(undefined);
  try {
    await post('/messages', { text, replyTo: th.data.reply.messageId, clientId: newClientId() });
    n.text.value = '';
    n.status.textContent = it('sent');
    setTimeout(() => { n.status.textContent = ''; void refreshThread(); }, 1200);
  } catch (err) { failed(err); } finally {
    th.sending = false;
    n.send.disabled = false;
    n.text.focus();
  }
}

/** Builds the thread's elements (hidden until one is opened); `back()` returns to the lists. */
export function initThread(h) {
  hooks = h;
  n.back = el('button', { type: 'button', className: 'small-button secondary back-button', onclick: () => hooks.back() });
  n.title = el('h2', { id: 'thread-title', tabindex: '-1' });
  n.meta = el('p', { className: 'thread-meta' });
  n.olderButton = el('button', { type: 'button', className: 'small-button secondary', onclick: () => { void loadOlder(); } });
  n.sentinel = el('li', { className: 't-older' }, n.olderButton);
  n.list = el('ol', { className: 'thread-items', tabindex: '0', 'aria-labelledby': 'thread-title' });
  n.actions = el('div', { className: 'thread-actions buttons' });
  n.dups = el('div', { className: 'thread-dups', hidden: true });
  // The answer to a merge pressed in the list above: outside it (the list is redrawn), announced when it arrives.
  n.mergeResult = el('p', { className: 'action-result', role: 'status' });
  n.text = el('textarea', { id: 'thread-text', rows: '2' });
  n.label = el('label', { for: 'thread-text' });
  n.send = el('button', { type: 'submit' });
  n.replyHint = el('p', { className: 'hint', id: 'thread-hint' });
  n.status = el('p', { className: 'hint', role: 'status' });
  n.text.setAttribute('aria-describedby', 'thread-hint');
  n.composer = el('form', { className: 'composer thread-composer', onsubmit: (ev) => { ev.preventDefault(); void send(); } },
    n.label, el('div', { className: 'composer-row' }, n.text, n.send), n.replyHint, n.status);
  // Enter does not send here: an answer is official, so it goes with the button (Shift+Enter or Enter both add a line).
  n.root = el('section', { id: 'thread', className: 'thread', 'aria-labelledby': 'thread-title', hidden: true },
    el('div', { className: 'thread-top' }, n.back, n.title), n.meta, n.list, n.dups, n.mergeResult, n.actions, n.composer);
  new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) void loadOlder(); }, { root: n.list }).observe(n.sentinel);
  // After a save the bot's new preview arrives in the chat (no inbox event: a draft is no change to
  // the inquiry): the thread then shows it, with its buttons.
  new MutationObserver(previewArrived).observe(ui.list, { childList: true });
  return n.root;
}
