import type { AnswerCopy } from './answer-types.js';

/** Tiếng Việt: trả lời chính thức (xem trước, xác nhận, sửa) và từ chối. */
export const answerVi: AnswerCopy = {
  btnSend: 'Gửi câu trả lời',
  btnEdit: 'Sửa',
  btnCancel: 'Hủy',
  btnCorrect: 'Sửa câu trả lời',
  signature: (s) => `— ${s.name}, ${s.title ?? `Người phát ngôn ${s.org}`}`,
  preview: (c, text, sig, min, correcting) => [
    `${correcting ? 'Xem trước bản sửa câu trả lời' : 'Xem trước câu trả lời'} cho câu hỏi ${c} (CHƯA GỬI):`,
    '', text, '', sig, '',
    `Bấm «Gửi câu trả lời» để gửi chính thức tới phóng viên, «Sửa» để viết lại, «Hủy» để bỏ. Bản nháp hết hạn sau ${min} phút nếu không được gửi.`,
  ].join('\n'),
  noDraft: (c, min) => `Không còn bản nháp này${c ? ` (câu hỏi ${c})` : ''}: bản nháp đã được gửi, đã hủy, đã được thay bằng bản mới hơn hoặc đã quá ${min} phút. Chưa có gì mới được gửi. Muốn trả lời, hãy bấm «Trả lời» và viết lại.`,
  cancelled: (c) => `Đã hủy bản nháp. Chưa có gì được gửi tới phóng viên về câu hỏi ${c}.`,
  askAgain: (c) => `Gõ lại nội dung trả lời cho câu hỏi ${c} (hoặc /cancel để hủy). Bạn sẽ được xem trước trước khi gửi.`,
  sent: (c, n, min) => `Đã gửi câu trả lời chính thức cho câu hỏi ${c}${n > 1 ? ` tới ${n} phóng viên` : ''}. Trong ${min} phút, bạn có thể sửa bằng nút «Sửa câu trả lời» (phóng viên sẽ thấy «đã sửa»).`,
  toReporter: (c, o, a, sig, corrected) => `Trả lời câu hỏi ${c} — ${o}${corrected ? ' (đã sửa)' : ''}\n\n${a}\n\n${sig}\n\nTrả lời tin nhắn này nếu cần hỏi thêm. Bạn đánh giá câu trả lời thế nào?`,
  correctedNotice: (c, o, a, sig) => `Câu trả lời ${c} đã được sửa:\n\n${a}\n\n${sig}\n${o}`,
  correctionFiles: (c, n) => `Tệp kèm theo câu trả lời ${c} đã sửa (${n} tệp):`,
  askCorrection: (c, left) => `Gõ nội dung đã sửa của câu trả lời ${c} (còn ${left} phút để sửa; /cancel để thôi). Phóng viên sẽ thấy «đã sửa»; bản trước vẫn được lưu trong hồ sơ.`,
  correctionSent: (c, n) => `Đã gửi bản sửa câu trả lời ${c}${n > 1 ? ` tới ${n} phóng viên` : ''}. Phóng viên thấy câu trả lời được đánh dấu «đã sửa»; hồ sơ giữ cả hai bản.`,
  correctionClosed: (c, min) => `Rất tiếc, câu trả lời ${c} chỉ sửa được trong ${min} phút sau khi gửi, nay đã quá thời gian đó hoặc câu hỏi đã chuyển sang bước khác. Nếu cần đính chính, hãy gửi thông tin bổ sung cho phóng viên qua đầu mối phát ngôn.`,
  correctionNotYours: (c) => `Chỉ người đã gửi câu trả lời ${c} mới sửa được câu trả lời đó.`,
  declineToReporter: (c, o, g, art, r, sig) => `${o} từ chối cung cấp thông tin cho câu hỏi ${c}.\nCăn cứ: ${g} (${art})\nLý do: ${r}\n\n${sig}`,
  followed: (c) => `Bạn đang theo dõi câu hỏi ${c}. Khi có trả lời, bạn sẽ nhận được tại đây. Gõ /unfollow ${c} để thôi theo dõi.`,
  unfollowed: (c, was) => (was ? `Đã thôi theo dõi câu hỏi ${c}.` : `Bạn không theo dõi câu hỏi ${c}.`),
  followRefused: (c) => `Không thể theo dõi ${c}: chỉ theo dõi được câu hỏi của phóng viên khác đang chờ trả lời hoặc đã được trả lời.`,
  followNotReporter: 'Chỉ phóng viên đã được xác minh mới theo dõi được câu hỏi.',
  toFollower: (c, o, a, sig) => `Câu hỏi ${c} bạn đang theo dõi đã có trả lời — ${o}\n\n${a}\n\n${sig}\n\nNếu cần hỏi thêm, hãy gửi câu hỏi của riêng bạn.`,
  declineToFollower: (c, o, g, art, r, sig) => `Câu hỏi ${c} bạn đang theo dõi: ${o} từ chối cung cấp thông tin.\nCăn cứ: ${g} (${art})\nLý do: ${r}\n\n${sig}`,
  declineDone: (c) => `Đã gửi thông báo từ chối câu hỏi ${c} kèm căn cứ pháp lý và lý do.`,
};
