// The edit box of an answer preview (issue #14), one for both places a preview is shown: the panel
// above the chat's message box (preview.js) and an inquiry's thread (thread.js). [Sửa] loads the
// draft's own text (`GET inbox/draft`); [Lưu bản nháp] sends the new text with the preview's edit
// button (`POST preview-edit`): the bot replaces the draft and previews it again, nothing is sent.
// Enter in the box is a new line. Which actions make a preview comes with the session.
import { api, ApiError, newClientId, post } from './api.js';
import { el, showError, state } from './dom.js';
import { t } from './i18n.js';

const refused = (err) => showError(err instanceof ApiError && err.body.message_vi ? err.body : 'network');

/** A preview button's look by its role: send primary, cancel danger, edit secondary. */
export function previewLook(action) {
  const a = state.previewActions;
  return action === a?.confirm ? 'primary' : action === a?.cancel ? 'danger' : 'secondary';
}

/** Whether `action` is the preview's edit button (which opens the box here rather than asking in the chat). */
export const isPreviewEdit = (action) => action === state.previewActions?.edit;

/**
 * [Sửa] on preview message `messageId`: its draft's text in a new textarea `fieldId`. The editing
 * state `{id, textarea, correcting, busy}`, or undefined when the draft is gone (the reason shown).
 */
export async function openDraft(messageId, fieldId) {
  showError(undefined);
  try {
    const draft = await api('GET', `/inbox/draft?message=${encodeURIComponent(messageId)}`);
    const textarea = el('textarea', { id: fieldId, rows: '6', 'aria-describedby': `${fieldId}-hint` });
    textarea.value = draft.text;
    return { id: messageId, textarea, correcting: draft.correcting === true, busy: false };
  } catch (err) {
    refused(err);
    return undefined;
  }
}

/**
 * [Lưu bản nháp]: the box's text replaces the draft. `saved` (the bot previews it again), `settled`
 * (sent or cancelled meanwhile, in another tab: nothing to replace), `failed` (shown), `empty`.
 */
export async function saveDraft(editing) {
  const text = editing.textarea.value;
  if (text.trim() === '') return 'empty';
  showError(undefined);
  try {
    const answer = await post('/preview-edit', { messageId: editing.id, text, clientId: newClientId() });
    return answer.settled ? 'settled' : 'saved';
  } catch (err) {
    refused(err);
    return 'failed';
  }
}

/** The edit box in place of a preview's text and buttons; the same textarea is kept across redraws. */
export function editForm(editing, { save, cancel }) {
  const { textarea } = editing;
  const off = editing.busy ? { disabled: '' } : {};
  textarea.disabled = editing.busy;
  return el('div', { className: 'preview-edit' },
    el('label', { for: textarea.id }, t(editing.correcting ? 'editLabelCorrecting' : 'editLabel')),
    textarea,
    el('p', { id: `${textarea.id}-hint`, className: 'hint' }, editing.busy ? t('savingDraft') : t('editHint')),
    el('div', { className: 'button-row' },
      el('button', { type: 'button', className: 'action action-primary', onclick: save, ...off }, t('saveDraft')),
      el('button', { type: 'button', className: 'action action-secondary', onclick: cancel, ...off }, t('cancelEdit'))));
}

/**
 * One place that shows previews and edits them (the chat's panel, a thread): which preview it is
 * editing (`editing`), and opening, closing and starting to save its box. `render()` redraws the
 * place; `root()` is its element; `fieldId` its textarea's id (both places may be in the page).
 */
export function editPlace(fieldId, render, root) {
  const place = {
    editing: undefined,
    /** [Sửa]: the draft's own text (not the preview's heading and signature) goes into the box. */
    async start(messageId) {
      const editing = await openDraft(messageId, fieldId);
      if (!editing) return;
      place.editing = editing;
      render();
      editing.textarea.focus();
    },
    /** [Hủy sửa]: the preview as it was, the keyboard back on its [Sửa]. */
    stop() {
      const id = place.editing?.id;
      place.editing = undefined;
      render();
      root()?.querySelector(`[data-preview="${id}"] button.action-secondary`)?.focus();
    },
    /** [Lưu bản nháp] pressed: the box marked busy and redrawn; undefined (the box keeps the keyboard) when empty. */
    begin() {
      const editing = place.editing;
      if (editing.textarea.value.trim() === '') { editing.textarea.focus(); return undefined; }
      editing.busy = true;
      render();
      return editing;
    },
    /** The box of preview `messageId` when it is the one edited here, else undefined. */
    form(messageId, save) {
      return place.editing?.id === messageId ? editForm(place.editing, { save, cancel: place.stop }) : undefined;
    },
    /** Forgets the box when its preview is no longer `shown` (sent or cancelled elsewhere), unless it is saving. */
    keepIf(shown) {
      if (place.editing && !place.editing.busy && !shown(place.editing.id)) place.editing = undefined;
    },
  };
  return place;
}
