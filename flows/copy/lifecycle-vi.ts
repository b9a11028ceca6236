import type { Action } from '../lifecycle/types.js';
import { formatDue, formatLocalTime } from './format.js';
import type { LifecycleCopy, TargetProblem } from './lifecycle-types.js';

/** "đã được … <verb>": what each status-changing action did. */
const DONE: Partial<Record<Action, string>> = {
  acknowledge: 'nhận xử lý', answer: 'trả lời', decline: 'từ chối cung cấp thông tin',
  clarify: 'đề nghị phóng viên làm rõ', resume: 'bổ sung thông tin', transfer: 'chuyển sang cơ quan khác',
  route: 'chuyển tới cơ quan trả lời', reject: 'từ chối vì ngoài phạm vi', merge: 'gộp vào câu hỏi khác',
  reopen: 'hỏi thêm', withdraw: 'rút',
};

const PROBLEM: Record<TargetProblem, string> = {
  unknown: 'không tìm thấy cơ quan này',
  inactive: 'cơ quan không còn hoạt động',
  same: 'câu hỏi đang ở chính cơ quan này',
  no_receiver: 'cơ quan chưa có người phát ngôn hoặc thủ trưởng nhận câu hỏi',
  out_of_scope: 'cơ quan nằm ngoài phạm vi bạn được chuyển tới',
};

/** Vietnamese. */
export const lifecycleVi: LifecycleCopy = {
  happened: (h) => `Thao tác không còn hiệu lực: câu hỏi ${h.code} đã được ${h.self ? 'bạn' : h.by ?? 'hệ thống'} ${DONE[h.action] ?? 'xử lý'} lúc ${formatLocalTime(h.at)}.`,
  newPeriod: (d) => `Hạn trả lời mới (tính từ lúc nhận câu hỏi thêm): ${formatDue(d, 'vi')}.`,
  chooseClass: (c, cur) => `Chọn loại câu hỏi ${c} (quyết định thời hạn trả lời). Hiện tại: ${cur}.`,
  btnConclusion: 'Nhập ngày kết luận',
  askConclusionDate: (c) => `Gõ ngày ban hành kết luận giải quyết khiếu nại của câu hỏi ${c}, dạng ngày/tháng/năm (ví dụ 20/11/2026). Hạn trả lời sẽ tính từ ngày này.`,
  invalidConclusionDate: (today) => `Ngày kết luận cần đúng dạng ngày/tháng/năm (ví dụ 20/11/2026), là ngày có thật và không sau hôm nay (${today}). Vui lòng gõ lại (hoặc /cancel).`,
  conclusionNotApplicable: (c, cls) => `Câu hỏi ${c} thuộc loại «${cls}»: thời hạn không tính từ ngày kết luận khiếu nại. Đầu mối sàng lọc có thể đổi loại câu hỏi bằng /class ${c}.`,
  conclusionSet: (c, date, d, b) => `Câu hỏi ${c}: ngày kết luận khiếu nại ${date}.\nHạn trả lời (tính từ ngày kết luận): ${formatDue(d, 'vi')}\nCăn cứ: ${b}`,
  awaitsConclusion: (c) => `Thời hạn đang tạm tính từ lúc nhận câu hỏi. Khi có kết luận giải quyết khiếu nại, bấm «Nhập ngày kết luận» hoặc gõ /conclusion ${c} để tính hạn từ ngày kết luận.`,
  targetRefused: (o, p) => `Không thể chuyển câu hỏi tới ${o}: ${PROBLEM[p]}. Vui lòng chọn cơ quan khác.`,
  noTargets: (c) => `Không có cơ quan nào khác có người nhận câu hỏi ${c}. Vui lòng báo đầu mối sàng lọc.`,
};
