// A preview waiting to be confirmed (a spokesperson's official answer, marked CHƯA GỬI) is shown as
// a panel above the message box — its text and [Gửi câu trả lời] [Sửa] [Hủy] — rather than as a
// bubble with buttons (issue #14). The buttons are the bot's own (the same press as in a bubble),
// so the flows decide; Telegram and Zalo keep their buttons. Which actions make a preview comes with
// the session (`previewActions`), not from this page.
import { el, state, ui } from './dom.js';
import { t } from './i18n.js';
import { actions, isOpenPreview, unbreakable } from './timeline.js';

const { document } = globalThis;
const panel = { root: undefined };

function button(entry, b) {
  const a = state.previewActions;
  const look = b.action === a.confirm ? 'primary' : b.action === a.cancel ? 'danger' : 'secondary';
  return el('button', {
    type: 'button', className: `action action-${look}`,
    onclick: async (ev) => {
      await actions.press(ev.currentTarget, entry.id, b);
      // [Sửa]: the bot asks for the text again; it is written in the box below.
      if (b.action === a.edit) ui.text.focus();
    },
  }, b.label);
}

/** Redraws the panel from the entries shown: every open preview, oldest first (one per inquiry). */
export function renderPreviews() {
  if (!panel.root) {
    panel.root = el('section', { id: 'answer-preview', className: 'answer-preview', 'aria-labelledby': 'answer-preview-title', hidden: true });
    ui.composer.prepend(panel.root);
  }
  const open = [...state.entries.values()].filter(isOpenPreview).sort((x, y) => Number(x.id) - Number(y.id));
  const focused = panel.root.contains(document.activeElement);
  panel.root.hidden = open.length === 0;
  panel.root.replaceChildren(el('h2', { id: 'answer-preview-title' }, t('previewTitle')), ...open.map((entry) => el('article', { className: 'preview-item' },
    // Scrolls when long (a phone): focusable, so a keyboard can scroll it too.
    el('p', { className: 'text', tabindex: '0' }, ...unbreakable(entry.text)),
    el('div', { className: 'button-row' }, ...(entry.buttons ?? []).flat().map((b) => button(entry, b))))));
  // A press redraws the panel: keep the keyboard in it, or back in the message box when it closed.
  if (focused) (panel.root.hidden ? ui.text : panel.root.querySelector('button'))?.focus();
}

actions.changed = renderPreviews;
