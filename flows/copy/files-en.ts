import type { FileKind } from '../../adapters/types.js';
import { formatLocalTime } from './format.js';
import type { FilesCopy } from './files-types.js';

const KIND: Record<FileKind, string> = { image: 'Photo', document: 'File', video: 'Video', audio: 'Audio file' };

const size = (bytes: number): string => (bytes >= 1024 * 1024
  ? `${(bytes / 1024 / 1024).toLocaleString('en-GB', { maximumFractionDigits: 1 })} MB`
  : `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('en-GB')} KB`);

const named = (f: { name?: string | undefined; kind: FileKind }) => `${KIND[f.kind]}${f.name ? ` "${f.name}"` : ''}`;

/** English. */
export const filesEn: FilesCopy = {
  size,
  refused: (f, reason, l) => {
    switch (reason) {
      case 'too_large': return `${named(f)} is too large (${l.maxFileMb} MB per file at most${l.platform === 'telegram' ? '; Telegram lets bots receive files up to 20 MB' : ''}). Please send a smaller file, or send it through the web page (send /web).`;
      case 'message_too_large': return `${named(f)} was not accepted: one message may carry ${l.maxFiles} files, ${l.maxMessageMb} MB in all. Please send the rest in another message.`;
      case 'type_not_allowed': return `${named(f)} was not accepted: only photos (JPEG, PNG, WebP), PDF, Word/Excel/PowerPoint (.docx, .xlsx, .pptx), OpenDocument, MP4 videos and voice notes are. The file's content is checked, not its name.`;
      case 'infected': return `${named(f)} was flagged by the virus scanner, so it was quarantined and not passed on. Please check your device and send a clean copy.`;
      case 'fetch_failed': return `${named(f)} could not be fetched from the chat app. Please send it again.`;
      case 'not_yours': return `${named(f)} is not yours, so it was not sent.`;
    }
  },
  linkLine: (f, url, until) => `📎 ${f.name} (${size(f.sizeBytes)}): too large or not supported on this channel; download it at ${url} (the link works until ${formatLocalTime(until)}).`,
  noLinkLine: (f) => `📎 ${f.name} (${size(f.sizeBytes)}): not supported on this channel; see it on the web page.`,
  sentAsLink: (f, p) => `The file "${f.name}" (${size(f.sizeBytes)}) could not be sent as a file on the recipient's ${p === 'telegram' ? 'Telegram' : p === 'web' ? 'web page' : 'Zalo'}, so it was sent as an expiring download link.`,
  askNeedsText: (n) => `${n} file(s) received. Please send the text of your question (the files will go with it).`,
  addedToQuestion: (n) => `${n} file(s) added to the question you are writing.`,
  notExpected: 'The bot does not know which inquiry this file belongs to. Send it with a question, or reply to that inquiry\'s message.',
  seeAttached: (n) => `(see the ${n} attached file(s))`,
  record: (code, ls) => (ls.length === 0 ? `Inquiry ${code} has no files yet.` : `Files of inquiry ${code}:\n${ls.map((l, i) => `${i + 1}. ${l.name} — ${l.mimeType}, ${size(l.sizeBytes)}\n   ${l.entry ? `${l.entry.replace('_', ' ')}, ` : ''}${l.sender ?? '—'}, ${formatLocalTime(l.at)}\n   SHA-256 ${l.sha256}`).join('\n')}`),
  recordUsage: 'Send /files with an inquiry code, e.g. /files Q-12',
  answerHasFiles: '📎 the answer carries files',
};
