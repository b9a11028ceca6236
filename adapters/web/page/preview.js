// A preview waiting to be confirmed (a spokesperson's official answer, marked CHƯA GỬI) is shown as
// a panel above the message box — its text and [Gửi câu trả lời] [Sửa] [Hủy] — rather than as a
// bubble with buttons (issue #14). Send and cancel are the bot's own buttons (the same press as in a
// bubble), so the flows decide; Telegram and Zalo keep their buttons. [Sửa] turns the preview into
// the edit box of draft-edit.js (the thread view has the same box). Nothing is sent until
// [Gửi câu trả lời].
import { el, state, ui } from './dom.js';
import { t } from './i18n.js';
import { actions, isOpenPreview, unbreakable } from './timeline.js';
import { editPlace, isPreviewEdit, previewLook, saveDraft } from './draft-edit.js';

const { document } = globalThis;
/** `awaitAfter`: after a save, the newest message id then — the panel says it is saving until the bot answers after it. */
const panel = { root: undefined, awaitAfter: undefined, keepFocus: false };
/** The preview being edited in the panel, if any (draft-edit.js). */
const box = editPlace('preview-edit-text', () => renderPreviews(), () => panel.root);

function button(entry, b) {
  return el('button', {
    type: 'button', className: `action action-${previewLook(b.action)}`,
    onclick: async (ev) => {
      if (isPreviewEdit(b.action)) { await box.start(entry.id); return; }
      await actions.press(ev.currentTarget, entry.id, b);
    },
  }, b.label);
}

/** [Lưu bản nháp]: the new text replaces the draft (the flows show it again); nothing is sent. */
async function save() {
  panel.keepFocus = true;
  const editing = box.begin();
  if (!editing) { panel.keepFocus = false; return; }
  // The chat's newest message before the save: the bot's answer may arrive before the POST's own.
  const before = state.lastId;
  const outcome = await saveDraft(editing);
  if (outcome === 'failed') {
    editing.busy = false;
    panel.keepFocus = false;
  } else {
    // Settled meanwhile (sent or cancelled in another tab): there is no draft to replace.
    if (outcome === 'saved') panel.awaitAfter = before;
    box.editing = undefined;
  }
  renderPreviews();
  box.editing?.textarea.focus();
}

function item(entry) {
  const form = box.form(entry.id, () => void save());
  return el('article', { className: 'preview-item', 'data-preview': entry.id },
    ...(form ? [form] : [
      // Scrolls when long (a phone): focusable, so a keyboard can scroll it too.
      el('p', { className: 'text', tabindex: '0' }, ...unbreakable(entry.text)),
      el('div', { className: 'button-row' }, ...(entry.buttons ?? []).flat().map((b) => button(entry, b)))]));
}

/** Redraws the panel from the entries shown: every open preview, oldest first (one per inquiry). */
export function renderPreviews() {
  if (!panel.root) {
    panel.root = el('section', { id: 'answer-preview', className: 'answer-preview', 'aria-labelledby': 'answer-preview-title', hidden: true });
    ui.composer.prepend(panel.root);
  }
  const entries = [...state.entries.values()];
  const open = entries.filter(isOpenPreview).sort((x, y) => Number(x.id) - Number(y.id));
  // The preview being edited was settled elsewhere (sent, cancelled): its edit box goes with it.
  box.keepIf((id) => open.some((e) => e.id === id));
  if (panel.awaitAfter !== undefined && entries.some((e) => e.from === 'bot' && Number(e.id) > panel.awaitAfter)) panel.awaitAfter = undefined;
  const waiting = panel.awaitAfter !== undefined;
  const focused = panel.root.contains(document.activeElement);
  const typing = focused && document.activeElement === box.editing?.textarea;
  panel.root.hidden = open.length === 0 && !waiting;
  panel.root.replaceChildren(el('h2', { id: 'answer-preview-title', tabindex: '-1' }, t('previewTitle')), ...open.map(item),
    ...(waiting ? [el('p', { className: 'hint', role: 'status' }, t('savingDraft'))] : []));
  if (typing) { box.editing.textarea.focus(); return; }
  // After a save the keyboard stays in the panel: on its heading while the bot answers, then on the
  // new preview's text — never on its send button, which a key still held down could press.
  if (panel.keepFocus) {
    const settling = waiting || box.editing?.busy === true;
    if (!settling) panel.keepFocus = false;
    (panel.root.hidden ? ui.text : settling ? panel.root.querySelector('h2') : panel.root.querySelector('.preview-item .text') ?? ui.text)?.focus();
    return;
  }
  // A press redraws the panel: keep the keyboard in it, or back in the message box when it closed.
  if (focused) (panel.root.hidden ? ui.text : panel.root.querySelector('button'))?.focus();
}

actions.changed = renderPreviews;
