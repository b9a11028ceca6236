import { truncateText } from '../../adapters/types.js';

/** One inquiry a digest lists. */
export interface DigestLine {
  code: string;
  question: string;
}

/** Longest question excerpt in a digest line, in characters (cut on a grapheme boundary). */
const EXCERPT_CHARS = 80;

/**
 * The digest that replaces many notices waiting for one chat: how many, one line per inquiry
 * (code and the start of the question), and how to open each (the buttons below it).
 */
export function digestText(locale: 'vi' | 'en', lines: readonly DigestLine[]): string {
  const list = lines.map((l) => `• ${l.code}: ${truncateText(l.question.replace(/\s+/g, ' ').trim(), EXCERPT_CHARS)}`).join('\n');
  return locale === 'en'
    ? `${lines.length} new questions and reminders are waiting for you, grouped into one message:\n\n${list}\n\nPress a code to open that question with its buttons.`
    : `${lines.length} câu hỏi mới và nhắc hạn đang chờ, gộp thành một tin:\n\n${list}\n\nBấm vào mã để mở từng câu hỏi cùng các nút xử lý.`;
}
