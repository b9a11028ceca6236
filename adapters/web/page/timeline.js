// The conversation: bubbles in id order, answers threaded under the message they reply to.
import { $, el, excerpt, state, ui } from './dom.js';
import { lang, t } from './i18n.js';
import { renderFiles } from './attachments.js';

const { setTimeout } = globalThis;

/**
 * Text as shown: a code ("Q-12", "HB-3") and a list number with its first word ("1. Nhận") never
 * break across lines. Wrapped in no-wrap spans, not changed characters: copied text stays as typed.
 */
export function unbreakable(text) {
  return text.split(/(\b[A-Z]{1,3}-\d+|(?<![^\s])\d{1,3}\. \S+)/).map((part, i) => (i % 2 === 1 ? el('span', { className: 'nowrap' }, part) : part));
}

/** What a bubble's buttons do (set by app.js), and who is told of each new entry (action-result.js). */
export const actions = { press: () => undefined, answered: () => undefined, changed: () => undefined };

/** A bot entry previewing something to confirm, not yet settled: its buttons are in the panel by the composer (preview.js). */
export const isOpenPreview = (entry) => {
  const a = state.previewActions;
  const buttons = (entry.buttons ?? []).flat();
  return Boolean(a) && entry.from === 'bot' && buttons.some((b) => b.action === a.confirm) && buttons.every((b) => !b.state);
};

/** A bot entry answering a workspace action replies to the action's id (`act-…`), not to a message: no quote. */
const quotes = (entry) => entry.replyTo && !entry.replyTo.startsWith('act-');

function renderEntry(entry) {
  const item = el('li', { className: `msg msg-${entry.from}${quotes(entry) ? ' is-reply' : ''}`, id: `m-${entry.id}`, tabindex: '-1' });
  if (quotes(entry)) {
    const original = state.entries.get(entry.replyTo);
    const quoteText = original ? excerpt(original.text) : t('earlier');
    item.append(original
      ? el('a', { className: 'quote', href: `#m-${entry.replyTo}`, onclick: (ev) => { ev.preventDefault(); jumpTo(entry.replyTo); } },
        el('span', { className: 'visually-hidden' }, t('quoteOf')), quoteText)
      : el('p', { className: 'quote' }, quoteText));
  }
  const time = new Date(entry.at);
  const bubble = el('div', { className: 'bubble' },
    el('span', { className: 'sender' }, entry.from === 'bot' ? state.botName || t('bot') : t('you')),
    ...(entry.text || !entry.files?.length ? [el('p', { className: 'text' }, ...unbreakable(entry.text))] : []),
    ...[renderFiles(entry)].filter(Boolean),
    ...(entry.editedAt ? [el('span', { className: 'edited' }, t('edited'))] : []),
    el('time', { datetime: entry.at }, Number.isNaN(time.getTime()) ? '' : time.toLocaleTimeString(lang.current === 'en' ? 'en-GB' : 'vi-VN', { hour: '2-digit', minute: '2-digit' })));
  item.append(bubble);
  if (isOpenPreview(entry)) bubble.append(el('p', { className: 'preview-note' }, t('previewNote')));
  else if (entry.buttons?.length) {
    bubble.append(el('div', { className: 'buttons' }, ...entry.buttons.map((row) => el('div', { className: 'button-row' },
      ...row.map((b) => el('button', {
        type: 'button', className: `action action-${b.style ?? 'primary'}${b.state ? ` is-${b.state}` : ''}`,
        // A settled message: the chosen button is marked (and announced as pressed), the others are off.
        ...(b.state ? { disabled: true, 'aria-pressed': b.state === 'chosen' ? 'true' : 'false' } : {}),
        onclick: (ev) => actions.press(ev.currentTarget, entry.id, b),
      }, b.state === 'chosen' ? `✓ ${b.label}` : b.label))))));
  }
  if (entry.from === 'bot') {
    item.append(el('button', { type: 'button', className: 'reply-button', 'aria-label': `${t('replyTo')}: ${excerpt(entry.text, 40)}`, onclick: () => setReply(entry.id) }, t('reply')));
  }
  return item;
}

/**
 * Shows an entry in id order; an entry already shown is replaced when this one is a later change
 * (the bot edited it in place). Keeps the view at the bottom when it was there.
 */
export function addEntry(entry) {
  if (!entry || typeof entry.id !== 'string') return;
  const rev = Number(entry.rev ?? entry.id);
  state.lastRev = Math.max(state.lastRev, rev);
  const shown = state.entries.get(entry.id);
  if (shown && Number(shown.rev ?? shown.id) >= rev) return;
  state.entries.set(entry.id, entry);
  if (shown) {
    $(`m-${entry.id}`)?.replaceWith(renderEntry(entry));
    actions.changed();
    return;
  }
  state.lastId = Math.max(state.lastId, Number(entry.id));
  actions.answered(entry);
  const atBottom = ui.list.scrollHeight - ui.list.scrollTop - ui.list.clientHeight < 80;
  const next = [...ui.list.children].find((node) => Number(node.id.slice(2)) > Number(entry.id));
  ui.list.insertBefore(renderEntry(entry), next ?? null);
  if (atBottom || entry.from === 'user') ui.list.scrollTop = ui.list.scrollHeight;
  actions.changed();
}

export function renderAll() {
  const sorted = [...state.entries.values()].sort((a, b) => Number(a.id) - Number(b.id));
  ui.list.replaceChildren(...sorted.map(renderEntry));
  actions.changed();
}

export function clearTimeline() {
  state.entries.clear();
  ui.list.replaceChildren();
  actions.changed();
}

function jumpTo(id) {
  const target = $(`m-${id}`);
  if (!target) return;
  target.scrollIntoView({ block: 'center', behavior: 'smooth' });
  target.focus({ preventScroll: true });
  target.classList.add('highlight');
  setTimeout(() => target.classList.remove('highlight'), 2000);
}

export function setReply(id) {
  state.replyTo = id;
  renderReplyBox();
  ui.text.focus();
}

export function renderReplyBox() {
  const original = state.replyTo && state.entries.get(state.replyTo);
  ui.replyBox.hidden = !original;
  ui.replyText.textContent = original ? `${t('replyingTo')}${excerpt(original.text, 60)}` : '';
}
