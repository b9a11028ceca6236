// A preview waiting to be confirmed (a spokesperson's official answer, marked CHƯA GỬI) is shown as
// a panel above the message box — its text and [Gửi câu trả lời] [Sửa] [Hủy] — rather than as a
// bubble with buttons (issue #14). Send and cancel are the bot's own buttons (the same press as in a
// bubble), so the flows decide; Telegram and Zalo keep their buttons. [Sửa] turns the preview into
// an edit box holding the draft's text (`GET inbox/draft`); [Lưu bản nháp] sends the new text with
// the preview's edit button (`POST preview-edit`): the bot replaces the draft and shows it again.
// Nothing is sent until [Gửi câu trả lời]; Enter in the edit box is a new line. Which actions make a
// preview comes with the session (`previewActions`), not from this page.
import { api, ApiError, newClientId, post } from './api.js';
import { el, showError, state, ui } from './dom.js';
import { t } from './i18n.js';
import { actions, isOpenPreview, unbreakable } from './timeline.js';

const { document } = globalThis;
/**
 * `editing`: the preview being edited `{id, textarea, correcting, busy}`; `awaitAfter`: after a
 * save, the newest message id then — the panel says it is saving until the bot answers after it.
 */
const panel = { root: undefined, editing: undefined, awaitAfter: undefined, keepFocus: false };

function button(entry, b) {
  const a = state.previewActions;
  const look = b.action === a.confirm ? 'primary' : b.action === a.cancel ? 'danger' : 'secondary';
  return el('button', {
    type: 'button', className: `action action-${look}`,
    onclick: async (ev) => {
      if (b.action === a.edit) { await startEditing(entry); return; }
      await actions.press(ev.currentTarget, entry.id, b);
    },
  }, b.label);
}

/** [Sửa]: the draft's own text (not the preview's heading and signature) goes into the edit box. */
async function startEditing(entry) {
  showError(undefined);
  try {
    const draft = await api('GET', `/inbox/draft?message=${encodeURIComponent(entry.id)}`);
    const textarea = el('textarea', { id: 'preview-edit-text', rows: '6', 'aria-describedby': 'preview-edit-hint' });
    textarea.value = draft.text;
    panel.editing = { id: entry.id, textarea, correcting: draft.correcting === true, busy: false };
    renderPreviews();
    textarea.focus();
  } catch (err) {
    showError(err instanceof ApiError && err.body.message_vi ? err.body : 'network');
  }
}

function stopEditing() {
  const id = panel.editing?.id;
  panel.editing = undefined;
  renderPreviews();
  panel.root.querySelector(`[data-preview="${id}"] button.action-secondary`)?.focus();
}

/** [Lưu bản nháp]: the new text replaces the draft (the flows show it again); nothing is sent. */
async function save() {
  const editing = panel.editing;
  const text = editing.textarea.value;
  if (text.trim() === '') { editing.textarea.focus(); return; }
  editing.busy = true;
  panel.keepFocus = true;
  renderPreviews();
  showError(undefined);
  try {
    const answer = await post('/preview-edit', { messageId: editing.id, text, clientId: newClientId() });
    // Settled meanwhile (sent or cancelled in another tab): there is no draft to replace.
    if (!answer.settled) panel.awaitAfter = state.lastId;
    panel.editing = undefined;
  } catch (err) {
    editing.busy = false;
    panel.keepFocus = false;
    showError(err instanceof ApiError && err.body.message_vi ? err.body : 'network');
  }
  renderPreviews();
  panel.editing?.textarea.focus();
}

/** The edit box in place of a preview's text and buttons; the same textarea is kept across redraws. */
function editForm(editing) {
  const { textarea } = editing;
  textarea.disabled = editing.busy;
  return el('div', { className: 'preview-edit' },
    el('label', { for: 'preview-edit-text' }, t(editing.correcting ? 'editLabelCorrecting' : 'editLabel')),
    textarea,
    el('p', { id: 'preview-edit-hint', className: 'hint' }, editing.busy ? t('savingDraft') : t('editHint')),
    el('div', { className: 'button-row' },
      el('button', { type: 'button', className: 'action action-primary', onclick: () => void save(), ...(editing.busy ? { disabled: '' } : {}) }, t('saveDraft')),
      el('button', { type: 'button', className: 'action action-secondary', onclick: stopEditing, ...(editing.busy ? { disabled: '' } : {}) }, t('cancelEdit'))));
}

function item(entry) {
  const editing = panel.editing?.id === entry.id ? panel.editing : undefined;
  return el('article', { className: 'preview-item', 'data-preview': entry.id },
    ...(editing ? [editForm(editing)] : [
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
  if (panel.editing && !panel.editing.busy && !open.some((e) => e.id === panel.editing.id)) panel.editing = undefined;
  if (panel.awaitAfter !== undefined && entries.some((e) => e.from === 'bot' && Number(e.id) > panel.awaitAfter)) panel.awaitAfter = undefined;
  const waiting = panel.awaitAfter !== undefined;
  const focused = panel.root.contains(document.activeElement);
  const typing = focused && document.activeElement === panel.editing?.textarea;
  panel.root.hidden = open.length === 0 && !waiting;
  panel.root.replaceChildren(el('h2', { id: 'answer-preview-title', tabindex: '-1' }, t('previewTitle')), ...open.map(item),
    ...(waiting ? [el('p', { className: 'hint', role: 'status' }, t('savingDraft'))] : []));
  if (typing) { panel.editing.textarea.focus(); return; }
  // After a save the keyboard stays in the panel: on its heading while the bot answers, then on the
  // new preview's text — never on its send button, which a key still held down could press.
  if (panel.keepFocus) {
    const settling = waiting || panel.editing?.busy === true;
    if (!settling) panel.keepFocus = false;
    (panel.root.hidden ? ui.text : settling ? panel.root.querySelector('h2') : panel.root.querySelector('.preview-item .text') ?? ui.text)?.focus();
    return;
  }
  // A press redraws the panel: keep the keyboard in it, or back in the message box when it closed.
  if (focused) (panel.root.hidden ? ui.text : panel.root.querySelector('button'))?.focus();
}

actions.changed = renderPreviews;
