import { fileTypeFromFile } from 'file-type';
import type { FileKind } from '../../adapters/types.js';
import { graphemeBoundaryAtOrBefore } from '../../adapters/types.js';

/** An allowed type: what the bytes must be, how it is shown, and the extension its name gets. */
export interface AllowedType {
  mimeType: string;
  kind: FileKind;
  ext: string;
}

/**
 * The allow-list, by detected type (`file-type` reads the bytes; the name and the sender's claimed
 * type are never trusted): photos, PDF, Word, Excel, PowerPoint, OpenDocument, short videos and
 * voice notes. Old binary Office files (`.doc`, `.xls`) are one container type to `file-type`
 * (`application/x-cfb`) that also holds other things, so they are not on it: people are asked for
 * PDF or the current formats.
 */
export const ALLOWED_TYPES: readonly AllowedType[] = [
  { mimeType: 'image/jpeg', kind: 'image', ext: 'jpg' },
  { mimeType: 'image/png', kind: 'image', ext: 'png' },
  { mimeType: 'image/webp', kind: 'image', ext: 'webp' },
  { mimeType: 'image/gif', kind: 'image', ext: 'gif' },
  { mimeType: 'image/heic', kind: 'image', ext: 'heic' },
  { mimeType: 'application/pdf', kind: 'document', ext: 'pdf' },
  { mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', kind: 'document', ext: 'docx' },
  { mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', kind: 'document', ext: 'xlsx' },
  { mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', kind: 'document', ext: 'pptx' },
  { mimeType: 'application/vnd.oasis.opendocument.text', kind: 'document', ext: 'odt' },
  { mimeType: 'application/vnd.oasis.opendocument.spreadsheet', kind: 'document', ext: 'ods' },
  { mimeType: 'application/vnd.oasis.opendocument.presentation', kind: 'document', ext: 'odp' },
  { mimeType: 'video/mp4', kind: 'video', ext: 'mp4' },
  { mimeType: 'video/quicktime', kind: 'video', ext: 'mov' },
  { mimeType: 'audio/ogg', kind: 'audio', ext: 'ogg' },
  { mimeType: 'audio/opus', kind: 'audio', ext: 'opus' },
  { mimeType: 'audio/mpeg', kind: 'audio', ext: 'mp3' },
  { mimeType: 'audio/mp4', kind: 'audio', ext: 'm4a' },
  { mimeType: 'audio/x-m4a', kind: 'audio', ext: 'm4a' },
  { mimeType: 'audio/aac', kind: 'audio', ext: 'aac' },
];

/** The allowed type of the file at `path`, by its bytes; undefined when unknown or not allowed. */
export async function detectAllowedType(path: string): Promise<AllowedType | undefined> {
  const found = await fileTypeFromFile(path);
  if (!found) return undefined;
  return ALLOWED_TYPES.find((t) => t.mimeType === found.mime);
}

/** Longest file name kept, in UTF-16 units (cut on a grapheme boundary). */
export const MAX_NAME_LENGTH = 120;

// Control characters, bidi controls (a name could otherwise show "gpj.exe" as "exe.jpg"), path
// separators and characters Windows refuses in names.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069/\\:*?"<>|]/g;

/**
 * A name safe to show and to offer for download: NFC, no path, no control or bidi characters, no
 * leading dots, at most {@link MAX_NAME_LENGTH} long, ending in the extension of the detected type
 * (a PDF named `thu.exe` becomes `thu.exe.pdf`). `fallback` (e.g. `anh-1`) when nothing is left.
 */
export function sanitiseFileName(name: string | undefined, ext: string, fallback: string): string {
  const base = (name ?? '').normalize('NFC').split(/[/\\]/).at(-1) ?? '';
  let clean = base.replace(UNSAFE, '_').replace(/\s+/g, ' ').trim().replace(/^[.\s]+/, '');
  const dot = clean.lastIndexOf('.');
  if (dot > 0 && clean.slice(dot + 1).toLowerCase() === ext) clean = clean.slice(0, dot);
  if (clean.replace(/[_.\s]/g, '') === '') clean = fallback;
  const room = MAX_NAME_LENGTH - ext.length - 1;
  if (clean.length > room) clean = clean.slice(0, graphemeBoundaryAtOrBefore(clean, room)).trimEnd();
  return `${clean}.${ext}`;
}
