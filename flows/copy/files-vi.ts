import type { FileKind } from '../../adapters/types.js';
import { formatLocalTime } from './format.js';
import type { FilesCopy } from './files-types.js';

const KIND: Record<FileKind, string> = { image: 'Ảnh', document: 'Tệp', video: 'Video', audio: 'Tệp âm thanh' };
const ENTRY: Record<string, string> = {
  question: 'câu hỏi', answer: 'trả lời', followup: 'hỏi thêm', clarification_request: 'đề nghị làm rõ',
  clarification_reply: 'làm rõ', decline: 'từ chối',
};

const size = (bytes: number): string => (bytes >= 1024 * 1024
  ? `${(bytes / 1024 / 1024).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} MB`
  : `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('vi-VN')} KB`);

const named = (f: { name?: string | undefined; kind: FileKind }) => `${KIND[f.kind]}${f.name ? ` "${f.name}"` : ''}`;

/** Vietnamese. */
export const filesVi: FilesCopy = {
  size,
  refused: (f, reason, l) => {
    switch (reason) {
      case 'too_large': return `${named(f)} quá lớn (tối đa ${l.maxFileMb} MB mỗi tệp${l.platform === 'telegram' ? '; Telegram chỉ cho bot nhận tệp đến 20 MB' : ''}). Vui lòng gửi tệp nhỏ hơn, hoặc gửi qua trang web của hệ thống (gõ /web).`;
      case 'message_too_large': return `${named(f)} không được nhận: một tin nhắn chỉ mang tối đa ${l.maxFiles} tệp, tổng ${l.maxMessageMb} MB. Vui lòng gửi phần còn lại trong tin nhắn khác.`;
      case 'type_not_allowed': return `${named(f)} không được nhận: chỉ nhận ảnh (JPEG, PNG, WebP), PDF, Word/Excel/PowerPoint (.docx, .xlsx, .pptx), OpenDocument, video MP4 và ghi âm. Nội dung tệp được kiểm tra, không dựa vào tên tệp.`;
      case 'infected': return `${named(f)} bị phần mềm diệt virus đánh dấu nguy hiểm nên đã được cách ly và không được chuyển đi. Vui lòng kiểm tra máy của bạn và gửi lại tệp sạch.`;
      case 'fetch_failed': return `Không tải được ${named(f).toLowerCase()} từ ứng dụng trò chuyện. Vui lòng gửi lại tệp.`;
      case 'not_yours': return `${named(f)} không thuộc về bạn nên không được gửi.`;
    }
  },
  linkLine: (f, url, until) => `📎 ${f.name} (${size(f.sizeBytes)}): tệp quá lớn hoặc không gửi được trên kênh này, tải tại ${url} (liên kết dùng đến ${formatLocalTime(until)}).`,
  noLinkLine: (f) => `📎 ${f.name} (${size(f.sizeBytes)}): tệp không gửi được trên kênh này; xem trên trang web của hệ thống.`,
  sentAsLink: (f, p) => `Tệp "${f.name}" (${size(f.sizeBytes)}) không gửi trực tiếp được qua ${p === 'telegram' ? 'Telegram' : p === 'web' ? 'trang web' : 'Zalo'} của người nhận nên đã được gửi dưới dạng liên kết tải xuống có thời hạn.`,
  askNeedsText: (n) => `Đã nhận ${n} tệp. Vui lòng gửi nội dung câu hỏi (tệp sẽ được gửi kèm câu hỏi).`,
  addedToQuestion: (n) => `Đã thêm ${n} tệp vào câu hỏi đang soạn.`,
  notExpected: 'Bot chưa biết tệp này thuộc câu hỏi nào. Hãy gửi tệp kèm câu hỏi, hoặc trả lời trực tiếp đúng tin nhắn của câu hỏi đó.',
  seeAttached: (n) => `(xem ${n} tệp đính kèm)`,
  record: (code, ls) => (ls.length === 0 ? `Câu hỏi ${code} chưa có tệp nào.` : `Tệp của câu hỏi ${code}:\n${ls.map((l, i) => `${i + 1}. ${l.name} — ${l.mimeType}, ${size(l.sizeBytes)}\n   ${l.entry ? `${ENTRY[l.entry] ?? l.entry}, ` : ''}${l.sender ?? '—'}, ${formatLocalTime(l.at)}\n   SHA-256 ${l.sha256}`).join('\n')}`),
  recordUsage: 'Gõ /files kèm mã câu hỏi, ví dụ: /files Q-12',
  answerHasFiles: '📎 trả lời có tệp đính kèm',
};
