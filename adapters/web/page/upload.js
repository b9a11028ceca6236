// Attaching files to a message: a button, drag and drop onto the conversation, or paste. Each file
// is uploaded at once (XMLHttpRequest: fetch reports no upload progress) with a progress bar and,
// for a photo, a preview; the message then names the finished uploads. The server checks every
// file by its bytes; its refusal is shown in the person's language.
import { API } from './api.js';
import { el, state, ui } from './dom.js';
import { lang } from './i18n.js';
import { formatSize } from './attachments.js';

const { document, URL, XMLHttpRequest } = globalThis;

/** Most files one message carries (the server's limit too). */
export const MAX_FILES = 10;

const TEXT = {
  vi: {
    attach: '+ Đính kèm', attachLabel: 'Đính kèm ảnh hoặc tệp', remove: 'Bỏ tệp', uploading: 'Đang tải lên…', ready: 'Đã tải lên',
    drop: 'Thả tệp vào đây để đính kèm', busy: 'Vui lòng chờ tải tệp lên xong rồi gửi.', tooMany: `Mỗi tin nhắn tối đa ${MAX_FILES} tệp.`,
    failed: 'Không tải lên được tệp. Vui lòng thử lại.',
  },
  en: {
    attach: '+ Attach', attachLabel: 'Attach a photo or a file', remove: 'Remove file', uploading: 'Uploading…', ready: 'Uploaded',
    drop: 'Drop files here to attach them', busy: 'Please wait for the files to finish uploading, then send.', tooMany: `At most ${MAX_FILES} files per message.`,
    failed: 'The file could not be uploaded. Please try again.',
  },
};
const say = (key) => (TEXT[lang.current] ?? TEXT.vi)[key];
/** Both languages of a message, as the page's error line shows API refusals. */
const both = (key) => ({ message_vi: TEXT.vi[key], message_en: TEXT.en[key] });

/** Files of the message being written: `{file, status: 'uploading'|'ready'|'failed', ref?, item}`. */
const pending = [];
let onError = () => undefined;
let input;
let list;

/** Refs (`upload:<id>`) of the finished uploads, in the order they were added. */
export const readyRefs = () => pending.filter((p) => p.status === 'ready').map((p) => p.ref);

/** True while a file is still uploading (the message must wait for it). */
export const uploadsBusy = () => pending.some((p) => p.status === 'uploading');

/** The refusal to show when the person sends while a file is still uploading. */
export const busyError = () => both('busy');

/** Forgets the attached files (after the message went, or on sign-out). */
export function clearUploads() {
  for (const p of pending.splice(0)) if (p.preview) URL.revokeObjectURL(p.preview);
  render();
}

/** Adds the attach button, the list of attached files, drag and drop and paste to the composer. `fail` shows an error. */
export function initUploads(fail) {
  onError = fail;
  document.head.append(el('link', { rel: 'stylesheet', href: '/web/attachments.css' }));
  input = el('input', { type: 'file', multiple: 'multiple', className: 'visually-hidden', id: 'attach-input', tabindex: '-1', 'aria-hidden': 'true' }); // reached only through the labelled attach button
  input.addEventListener('change', () => { addFiles([...input.files]); input.value = ''; });
  const button = el('button', { type: 'button', className: 'attach', id: 'attach-button', onclick: () => input.click() });
  list = el('ul', { className: 'pending', id: 'pending-files', 'aria-live': 'polite' });
  const row = ui.composer.querySelector('.composer-row');
  ui.composer.insertBefore(list, row);
  row.prepend(button);
  ui.composer.append(input);
  ui.text.addEventListener('paste', (ev) => {
    const files = [...(ev.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    ev.preventDefault();
    addFiles(files);
  });
  ui.chat.addEventListener('dragover', (ev) => { if (hasFiles(ev)) { ev.preventDefault(); ui.chat.classList.add('dropping'); } });
  ui.chat.addEventListener('dragleave', (ev) => { if (ev.target === ui.chat) ui.chat.classList.remove('dropping'); });
  ui.chat.addEventListener('drop', (ev) => {
    ui.chat.classList.remove('dropping');
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    addFiles([...ev.dataTransfer.files]);
  });
  render();
}

const hasFiles = (ev) => [...(ev.dataTransfer?.types ?? [])].includes('Files');

function addFiles(files) {
  const room = MAX_FILES - pending.length;
  if (files.length > room) onError(both('tooMany'));
  for (const file of files.slice(0, Math.max(0, room))) {
    const p = { file, status: 'uploading', progress: 0, ...(file.type.startsWith('image/') ? { preview: URL.createObjectURL(file) } : {}) };
    pending.push(p);
    upload(p);
  }
  render();
}

/** Uploads one file; its entry shows the progress, then the server's answer. */
function upload(p) {
  const xhr = new XMLHttpRequest();
  p.xhr = xhr;
  xhr.open('POST', `${API}/files`);
  xhr.setRequestHeader('content-type', p.file.type || 'application/octet-stream');
  xhr.setRequestHeader('x-csrf-token', state.csrf);
  xhr.setRequestHeader('x-file-name', encodeURIComponent(p.file.name || 'tep'));
  xhr.upload.addEventListener('progress', (ev) => {
    if (!ev.lengthComputable) return;
    p.progress = Math.round((ev.loaded / ev.total) * 100);
    const bar = p.item?.querySelector('progress');
    if (bar) bar.value = p.progress;
  });
  xhr.addEventListener('load', () => {
    let body = {};
    try { body = JSON.parse(xhr.responseText); } catch { /* not JSON: a proxy's error page */ }
    if (xhr.status === 200 && typeof body.ref === 'string') Object.assign(p, { status: 'ready', ref: body.ref, stored: body.file });
    else Object.assign(p, { status: 'failed', error: body.message_vi ? body : both('failed') });
    render();
  });
  xhr.addEventListener('error', () => { Object.assign(p, { status: 'failed', error: both('failed') }); render(); });
  xhr.send(p.file);
}

function remove(p) {
  p.xhr?.abort();
  if (p.preview) URL.revokeObjectURL(p.preview);
  pending.splice(pending.indexOf(p), 1);
  render();
  ui.text.focus();
}

/** Draws the attached files (again: after a change, or in the other language). */
export function render() {
  if (!list) return;
  const button = document.getElementById('attach-button');
  button.textContent = say('attach');
  button.setAttribute('aria-label', say('attachLabel'));
  ui.chat.dataset.dropHint = say('drop');
  list.replaceChildren(...pending.map(renderItem));
  list.hidden = pending.length === 0;
  // A message of files alone needs no text.
  ui.text.required = readyRefs().length === 0;
}

function renderItem(p) {
  const message = p.status === 'failed' ? (lang.current === 'en' ? p.error.message_en : p.error.message_vi) : say(p.status === 'ready' ? 'ready' : 'uploading');
  p.item = el('li', { className: `pending-file is-${p.status}` },
    ...(p.preview ? [el('img', { className: 'pending-thumb', src: p.preview, alt: '' })] : [el('span', { className: 'file-badge', 'aria-hidden': 'true' }, (p.file.name.split('.').pop() ?? '').slice(0, 4).toUpperCase())]),
    el('span', { className: 'pending-body' },
      el('span', { className: 'file-name' }, p.stored?.name ?? p.file.name),
      el('span', { className: 'file-meta' }, `${formatSize(p.file.size)} · ${message}`),
      ...(p.status === 'uploading' ? [el('progress', { max: '100', value: String(p.progress), 'aria-label': `${say('uploading')} ${p.file.name}` })] : [])),
    el('button', { type: 'button', className: 'pending-remove', 'aria-label': `${say('remove')}: ${p.file.name}`, onclick: () => remove(p) }, '×'));
  if (p.status === 'failed') p.item.setAttribute('role', 'alert');
  return p.item;
}
