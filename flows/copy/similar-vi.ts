import type { SimilarCopy, SimilarLine } from './similar-types.js';

const state = (l: SimilarLine) => (l.answered ? 'đã trả lời' : 'đang chờ trả lời');
const line = (l: SimilarLine) => `• ${l.code} “${l.title}” — ${state(l)}`;

export const similarVi: SimilarCopy = {
  offer: (lines) => (lines.length === 1
    ? `Đã có câu hỏi tương tự ${lines[0]!.code}, ${state(lines[0]!)} — theo dõi câu hỏi đó?\n“${lines[0]!.title}”`
    : `Đã có câu hỏi tương tự trong lĩnh vực này — theo dõi một câu thay vì gửi câu hỏi mới?\n${lines.map(line).join('\n')}`),
  btnFollow: (c) => `Theo dõi ${c}`,
  followedInstead: (c, answered) => (answered
    ? `Bạn đang theo dõi câu hỏi ${c}; câu hỏi của bạn không được gửi. ${c} đã có câu trả lời: bạn sẽ nhận được ngay tại đây, và cả bản sửa nếu có. Gõ /unfollow ${c} để thôi theo dõi.`
    : `Bạn đang theo dõi câu hỏi ${c}; câu hỏi của bạn không được gửi. Khi ${c} có câu trả lời, bạn sẽ nhận được tại đây. Gõ /unfollow ${c} để thôi theo dõi.`),
  stillReady: 'Câu hỏi của bạn chưa được gửi: bấm Gửi để gửi, hoặc Hủy.',
  duplicates: (lines) => lines.map((l) => `Có thể trùng: ${l.code} (“${l.title}”, ${state(l)})`).join('\n'),
  btnMergeInto: (c) => `Gộp vào ${c}`,
};
