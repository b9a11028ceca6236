import { formatDue, formatLocalTime } from './format.js';
import type { PressCopy } from './press-types.js';

const OUTCOMES: Record<string, string> = { pending: 'đang chờ', corrected: 'đã cải chính', apologised: 'đã xin lỗi', refused: 'từ chối cải chính', no_response: 'không phản hồi' };

const FIELDS: Record<string, string> = { title: 'tiêu đề', outlet: 'cơ quan báo chí', article: 'bài viết', published: 'ngày đăng', grounds: 'căn cứ đề nghị cải chính', startsAt: 'thời gian', place: 'địa điểm', host: 'cơ quan chủ trì', agencies: 'các cơ quan phát ngôn', code: 'mã', outcome: 'kết quả', eventAt: 'thời điểm xảy ra sự việc' };

export const pressVi: PressCopy = {
  annualReportDue: (y, from, to) => `Nhắc việc: báo cáo năm ${y} theo Điều 10 Nghị định 244/2026/NĐ-CP (kỳ ${from} – ${to}) cần gửi Bộ Văn hóa, Thể thao và Du lịch trước ngày 20/12. Lập báo cáo bằng nút "Báo cáo năm" trên trang /dashboard, hoặc: liaison report annual --year ${y} --out bao-cao-${y}.xlsx`,
  fieldMissing: (f) => `Vui lòng điền ${FIELDS[f] ?? f}.`,
  notAllowed: 'Bạn không có quyền thực hiện thao tác này.',
  conferenceUsage: 'Cú pháp: /conference dd/mm/yyyy HH:mm | địa điểm hoặc đường dẫn | mã cơ quan chủ trì | mã các cơ quan phát ngôn (cách nhau dấu phẩy) | tiêu đề và nội dung. Ví dụ: /conference 15/12/2026 09:00 | Hội trường UBND | HUE | SYT,STC | Họp báo định kỳ tháng 12',
  conferenceBadTime: (x) => `"${x}" không phải ngày giờ hợp lệ trong tương lai (dd/mm/yyyy HH:mm).`,
  conferenceUnknownOrg: (c) => `Không có cơ quan mã ${c}.`,
  conferenceOutOfScope: (c) => `Cơ quan ${c} nằm ngoài phạm vi của bạn.`,
  conferenceScheduled: (p) => `Đã lên lịch họp báo ${p.code}: ${p.title}, ${formatLocalTime(p.at)}, ${p.place}. Thông báo đang gửi tới ${p.recipients} phóng viên. Sau họp báo, gõ /conference held ${p.code} (hoặc dùng trang /dashboard) để đánh dấu đã tổ chức.`,
  conferenceAnnouncement: (p) => ({
    title: `Họp báo ${p.code}: ${p.title}`,
    body: `Thời gian: ${formatLocalTime(p.at)}\nĐịa điểm: ${p.place}\nNội dung: ${p.topics}\nCơ quan phát ngôn: ${p.agencies}\n\nĐăng ký dự: /register ${p.code}\nGửi câu hỏi trước: /confq ${p.code} <mã cơ quan> <câu hỏi>`,
  }),
  conferenceNotFound: (c) => `Không tìm thấy họp báo ${c}.`,
  conferenceNotOpen: (c) => `Họp báo ${c} đã tổ chức hoặc đã hủy.`,
  registered: (c, title, at) => `Đã đăng ký dự họp báo ${c}: ${title}, ${formatLocalTime(at)}.`,
  alreadyRegistered: (c) => `Bạn đã đăng ký dự họp báo ${c} rồi.`,
  questionUsage: 'Cú pháp: /confq HB-<số> <mã cơ quan> <câu hỏi>. Ví dụ: /confq HB-3 SYT Kế hoạch tiêm chủng năm tới thế nào?',
  questionNotPresenting: (c, a) => `Cơ quan này không phát ngôn tại họp báo ${c}. Các cơ quan phát ngôn: ${a}.`,
  questionStored: (c, a) => `Đã gửi câu hỏi trước cho họp báo ${c}, chuyển tới ${a}. Nếu câu hỏi không được trả lời tại họp báo, nó sẽ thành câu hỏi chính thức có thời hạn trả lời.`,
  questionToAgency: (p) => `Câu hỏi gửi trước cho họp báo ${p.code} (${p.title}, ${formatLocalTime(p.at)}), của ${p.reporter} (${p.outlet}):\n${p.question}`,
  heldUsage: 'Cú pháp: /conference held HB-<số> [số thứ tự các câu hỏi đã trả lời tại họp báo, cách nhau dấu phẩy]. Câu hỏi còn lại trở thành câu hỏi chính thức, thời hạn tính từ giờ họp báo.',
  heldDone: (p) => `Đã ghi nhận họp báo ${p.code} đã tổ chức. Câu hỏi đã trả lời tại họp báo: ${p.answered}. Chuyển thành câu hỏi chính thức: ${p.converted.length > 0 ? p.converted.join(', ') : 'không có'}.`,
  heldAlready: (c) => `Họp báo ${c} đã được đánh dấu trước đó.`,
  heldTooEarly: (c, at) => `Họp báo ${c} chưa diễn ra (${formatLocalTime(at)}).`,
  convertedToReporter: (p) => `Câu hỏi bạn gửi trước cho họp báo ${p.conference} chưa được trả lời tại họp báo, nay là câu hỏi ${p.inquiry} gửi ${p.agency}${p.dueAt ? `, hạn trả lời ${formatDue(p.dueAt, 'vi')}` : ''}.`,
  correctionUsage: 'Cú pháp: /correction tên cơ quan báo chí | bài viết (tiêu đề hoặc đường dẫn) | ngày đăng dd/mm/yyyy | căn cứ đề nghị cải chính',
  correctionBadDate: (x) => `"${x}" không phải ngày hợp lệ (dd/mm/yyyy, không sau hôm nay).`,
  correctionRecorded: (c, o) => `Đã ghi nhận đề nghị cải chính ${c} gửi ${o}. Khi có kết quả, ghi lại trên trang /dashboard (mục Kết quả đề nghị cải chính) hoặc gõ /correction ${c} corrected|apologised|refused|no_response [ghi chú].`,
  correctionLetter: (n) => `Văn bản kèm theo: ${n}.`,
  letterInvalid: 'Tệp văn bản không hợp lệ hoặc không phải tệp bạn vừa tải lên. Vui lòng chọn lại tệp.',
  correctionOutcomeUsage: 'Cú pháp: /correction CC-<số> corrected|apologised|refused|no_response [ghi chú] (gửi kèm tệp để đính kèm văn bản; chỉ /correction CC-<số> kèm tệp: đính kèm văn bản, giữ nguyên kết quả)',
  correctionNotFound: (c) => `Không tìm thấy đề nghị cải chính ${c} của cơ quan bạn.`,
  correctionOutcomeSaved: (c, o) => `Đã ghi kết quả đề nghị cải chính ${c}: ${OUTCOMES[o] ?? o}.`,
  correctionLetterAttached: (c, n) => `Đã đính kèm văn bản ${n} vào đề nghị cải chính ${c}.`,
  outcomeLabel: (o) => OUTCOMES[o] ?? o,
  statementUsage: 'Cú pháp: /statement dd/mm/yyyy HH:mm (thời điểm xảy ra sự việc) | tiêu đề thông tin đã phát ngôn [| đường dẫn]',
  statementBadTime: (x) => `"${x}" không phải thời điểm hợp lệ, không sau lúc này (dd/mm/yyyy HH:mm).`,
  statementRecorded: (p) => `Đã ghi nhận phát ngôn chủ động ${p.code}: ${p.title} (sự việc lúc ${formatLocalTime(p.eventAt)}). Phát ngôn sau ${p.hours} giờ: ${p.onTime ? 'đúng hạn 24 giờ' : 'quá 24 giờ'}.`,
};
