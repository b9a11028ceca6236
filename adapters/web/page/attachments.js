// Files in the timeline: photos as thumbnails (click: the full photo in a new tab), documents as a
// named chip with their type and size (click: download). The bytes come from this slot's API, which
// checks on every request that this person may see them.
import { API } from './api.js';
import { el } from './dom.js';
import { lang } from './i18n.js';

/** Photo types the browser may show inline (the server serves only these inline). */
const INLINE = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

const TYPES = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint',
  'application/vnd.oasis.opendocument.text': 'ODT',
  'application/vnd.oasis.opendocument.spreadsheet': 'ODS',
  'application/vnd.oasis.opendocument.presentation': 'ODP',
};

const WORDS = {
  vi: { download: 'Tải về', photo: 'Ảnh', open: 'Mở ảnh cỡ đầy đủ', video: 'Video', audio: 'Ghi âm', file: 'Tệp' },
  en: { download: 'Download', photo: 'Photo', open: 'Open the full-size photo', video: 'Video', audio: 'Voice note', file: 'File' },
};

/** A word in the page's language. */
export const word = (key) => (WORDS[lang.current] ?? WORDS.vi)[key];

/** `1,2 MB` / `340 KB`, as people read sizes in the page's language. */
export function formatSize(bytes) {
  const locale = lang.current === 'en' ? 'en-GB' : 'vi-VN';
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toLocaleString(locale, { maximumFractionDigits: 1 })} MB`;
  return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString(locale)} KB`;
}

/** A short label of a file's type (`PDF`, `Word`, `JPEG`). */
export function typeLabel(file) {
  if (TYPES[file.mimeType]) return TYPES[file.mimeType];
  const sub = String(file.mimeType ?? '').split('/')[1] ?? '';
  return sub ? sub.toUpperCase() : word(file.kind === 'image' ? 'photo' : file.kind === 'video' ? 'video' : file.kind === 'audio' ? 'audio' : 'file');
}

const fileUrl = (file, inline) => `${API}/file?id=${encodeURIComponent(file.id)}${inline ? '&inline=1' : ''}`;

function photo(file) {
  const img = el('img', { className: 'file-thumb', src: fileUrl(file, true), alt: `${word('photo')}: ${file.name}`, loading: 'lazy', decoding: 'async' });
  return el('figure', { className: 'file file-photo' },
    el('a', { href: fileUrl(file, true), target: '_blank', rel: 'noopener', title: word('open') }, img),
    el('figcaption', {}, el('a', { href: fileUrl(file, false), download: file.name, className: 'file-download' }, `${word('download')} (${formatSize(file.sizeBytes)})`)));
}

function chip(file) {
  return el('a', { className: 'file file-chip', href: fileUrl(file, false), download: file.name, 'data-file-id': file.id },
    el('span', { className: 'file-badge', 'aria-hidden': 'true' }, typeLabel(file)),
    el('span', { className: 'file-name' }, file.name),
    el('span', { className: 'file-meta' }, `${typeLabel(file)} · ${formatSize(file.sizeBytes)}`));
}

/** The files of a timeline entry, as one element to put in its bubble; undefined when it has none. */
export function renderFiles(entry) {
  if (!Array.isArray(entry.files) || entry.files.length === 0) return undefined;
  return el('div', { className: 'files' }, ...entry.files.map((f) => (INLINE.has(f.mimeType) ? photo(f) : chip(f))));
}
