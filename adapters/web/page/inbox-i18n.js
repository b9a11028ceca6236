// The inbox's and threads' strings, in Vietnamese and English (the page's language: i18n.js).
import { lang } from './i18n.js';

const STRINGS = {
  vi: {
    inbox: 'Hộp thư', bot: 'Trò chuyện với bot', back: '← Hộp thư', views: 'Chế độ xem',
    searchLabel: 'Tìm trong câu hỏi', search: 'Tìm', searchHint: 'Gõ không dấu cũng được, ví dụ: tiem vac xin', clearSearch: 'Xoá tìm kiếm',
    results: 'Kết quả tìm kiếm', noResults: 'Không tìm thấy câu hỏi nào.', empty: 'Chưa có câu hỏi nào.', loadingList: 'Đang tải…',
    mine: 'Câu hỏi của tôi', following: 'Đang theo dõi', emptyFollowing: 'Bạn chưa theo dõi câu hỏi nào.', queue: 'Hàng chờ của cơ quan', screening: 'Cần sàng lọc', overdue: 'Quá hạn trong phạm vi', registrations: 'Đăng ký phóng viên chờ xác minh',
    registrationHint: 'Xác minh bằng các nút trong “Trò chuyện với bot”.', since: 'từ',
    unread: (n) => `${n} chưa đọc`, agency: 'Cơ quan', topic: 'Lĩnh vực', due: 'Hạn',
    older: 'Xem tin cũ hơn', loadingOlder: 'Đang tải tin cũ hơn…', newMarker: 'Tin mới', actions: 'Thao tác',
    replyLabel: 'Trả lời trong câu hỏi này', send: 'Gửi', sent: 'Đã gửi.', noReply: 'Chưa thể trả lời trong câu hỏi này lúc này (chưa có tin nhắn nào của bot về câu hỏi này trên trang web để trả lời).',
    replyHintReporter: 'Tin bạn gửi ở đây là hỏi thêm (hoặc làm rõ) cho câu hỏi này.', replyHintStaff: 'Tin bạn gửi ở đây là câu trả lời chính thức cho câu hỏi này.',
    duplicates: 'Có thể trùng với', duplicatesHint: 'Bấm “Gộp vào …” để gộp câu hỏi đang xem vào câu hỏi đó; phóng viên sẽ nhận câu trả lời của câu hỏi kia.',
    similarTitle: 'Đã có câu hỏi tương tự', open: 'Xem', dismiss: 'Bỏ qua',
    similarLine: (code, status, topic, instead) => `Đã có câu hỏi tương tự ${code}${topic ? ` (lĩnh vực ${topic})` : ''}, ${status} — ${instead ? 'theo dõi câu hỏi đó thay vì gửi câu hỏi của bạn?' : 'theo dõi câu hỏi đó?'}`,
    follow: 'Theo dõi câu hỏi này', unfollow: 'Thôi theo dõi',
    followerNote: 'Bạn đang theo dõi câu hỏi này của một phóng viên khác: ở đây chỉ có câu hỏi, trạng thái và câu trả lời chính thức; câu trả lời cũng được gửi vào “Trò chuyện với bot”.', followingNow: (code) => `Đang theo dõi ${code}: câu trả lời sẽ được gửi vào “Trò chuyện với bot”.`,
    mergeInto: (code) => `Gộp vào ${code}`, working: 'Đang xử lý…',
    answerInChat: 'Đã gửi. Kết quả sẽ hiện trong “Trò chuyện với bot”.', actionFailed: 'Không gửi được. Vui lòng kiểm tra mạng và thử lại.',
    by: 'bởi', system: 'Hệ thống',
    status: {
      screening: 'chờ sàng lọc', assigned: 'chờ nhận xử lý', acknowledged: 'đang xử lý', clarifying: 'chờ phóng viên làm rõ', answered: 'đã trả lời',
      declined: 'từ chối trả lời', rejected: 'không thuộc phạm vi', merged: 'đã gộp', withdrawn: 'đã rút',
    },
    dueText: {
      working_days: (n) => `còn ${n} ngày làm việc`, hours: (n) => `còn ${n} giờ`, minutes: (n) => `còn ${n} phút`,
      over_minutes: (n) => `quá hạn ${n} phút`, over_hours: (n) => `quá hạn ${n} giờ`, over_days: (n) => `quá hạn ${n} ngày`,
      paused: () => 'tạm dừng — chờ phóng viên', none: () => '',
    },
    kinds: {
      question: 'Câu hỏi', answer: 'Trả lời', answer_correction: 'Trả lời (đã sửa)', clarification_request: 'Đề nghị làm rõ', clarification_reply: 'Phóng viên làm rõ', followup: 'Hỏi thêm',
      decline: 'Từ chối trả lời', rejection: 'Không thuộc phạm vi', transfer: 'Chuyển đơn vị', merge: 'Gộp vào câu hỏi', withdrawal: 'Rút câu hỏi', conclusion: 'Kết luận',
      'inquiry.acknowledge': 'Đã nhận xử lý', 'inquiry.working': 'Đang xử lý', 'inquiry.route': 'Đã chuyển tới cơ quan', 'inquiry.rate': 'Phóng viên đã đánh giá',
      'extension.request': 'Xin gia hạn', 'extension.approve': 'Gia hạn được duyệt', 'extension.reject': 'Gia hạn không được duyệt', 'inquiry.classify': 'Phân loại thời hạn',
      remind: 'Nhắc hạn trả lời', escalate: 'Báo lên cấp trên', overdue: 'Nhắc: đã quá hạn',
    },
  },
  en: {
    inbox: 'Inbox', bot: 'Chat with the bot', back: '← Inbox', views: 'Views',
    searchLabel: 'Search the questions', search: 'Search', searchHint: 'Diacritics optional, e.g. tiem vac xin', clearSearch: 'Clear search',
    results: 'Search results', noResults: 'No question found.', empty: 'No questions yet.', loadingList: 'Loading…',
    mine: 'My questions', following: 'Following', emptyFollowing: 'You are not following any question.', queue: 'Agency queue', screening: 'To screen', overdue: 'Overdue in my scope', registrations: 'Reporter registrations to verify',
    registrationHint: 'Verify them with the buttons in “Chat with the bot”.', since: 'since',
    unread: (n) => `${n} unread`, agency: 'Agency', topic: 'Topic', due: 'Due',
    older: 'Show older messages', loadingOlder: 'Loading older messages…', newMarker: 'New', actions: 'Actions',
    replyLabel: 'Reply in this question', send: 'Send', sent: 'Sent.', noReply: 'You cannot reply in this question right now (no bot message about it on the web page to reply to yet).',
    replyHintReporter: 'What you send here is a follow-up (or clarification) to this question.', replyHintStaff: 'What you send here is the official answer to this question.',
    duplicates: 'May duplicate', duplicatesHint: 'Press “Merge into …” to merge the question shown into that one; its reporter will receive that question’s answer.',
    similarTitle: 'A similar question exists', open: 'Open', dismiss: 'Dismiss',
    similarLine: (code, status, topic, instead) => `A similar question exists: ${code}${topic ? ` (topic: ${topic})` : ''}, ${status} — ${instead ? 'follow it instead of sending yours?' : 'follow it?'}`,
    follow: 'Follow this question', unfollow: 'Stop following',
    followerNote: 'You follow this question of another reporter: shown here are the question, its status and its official answers only; the answers also come to “Chat with the bot”.', followingNow: (code) => `Following ${code}: its answer will come to “Chat with the bot”.`,
    mergeInto: (code) => `Merge into ${code}`, working: 'Working…',
    answerInChat: 'Sent. The outcome will appear in “Chat with the bot”.', actionFailed: 'Could not send. Please check your connection and try again.',
    by: 'by', system: 'System',
    status: {
      screening: 'being screened', assigned: 'waiting for the agency', acknowledged: 'in progress', clarifying: 'waiting for the reporter', answered: 'answered',
      declined: 'declined', rejected: 'out of scope', merged: 'merged', withdrawn: 'withdrawn',
    },
    dueText: {
      working_days: (n) => `${n} working day${n === 1 ? '' : 's'} left`, hours: (n) => `${n} hour${n === 1 ? '' : 's'} left`, minutes: (n) => `${n} min left`,
      over_minutes: (n) => `${n} min overdue`, over_hours: (n) => `${n} hour${n === 1 ? '' : 's'} overdue`, over_days: (n) => `${n} day${n === 1 ? '' : 's'} overdue`,
      paused: () => 'paused — waiting for the reporter', none: () => '',
    },
    kinds: {
      question: 'Question', answer: 'Answer', answer_correction: 'Answer (corrected)', clarification_request: 'Clarification requested', clarification_reply: 'Reporter’s clarification', followup: 'Follow-up',
      decline: 'Declined', rejection: 'Out of scope', transfer: 'Transferred', merge: 'Merged into', withdrawal: 'Withdrawn', conclusion: 'Conclusion',
      'inquiry.acknowledge': 'Taken on', 'inquiry.working': 'Being worked on', 'inquiry.route': 'Routed to the agency', 'inquiry.rate': 'Rated by the reporter',
      'extension.request': 'Extension requested', 'extension.approve': 'Extension approved', 'extension.reject': 'Extension refused', 'inquiry.classify': 'Deadline class set',
      remind: 'Deadline reminder', escalate: 'Escalated', overdue: 'Reminder: overdue',
    },
  },
};

/** The inbox string `key` in the page's language. */
export const it = (key) => STRINGS[lang.current][key];

/** Local date of an ISO instant in Huế, as the page's language writes it (the divider's text). */
export function dayLabel(iso) {
  return new Date(iso).toLocaleDateString(lang.current === 'en' ? 'en-GB' : 'vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric' });
}

/** `YYYY-MM-DD` of an instant in Huế (dividers compare these). */
export const dayKey = (iso) => new Date(new Date(iso).getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

/** Local time `HH:MM` of an instant in Huế. */
export const timeLabel = (iso) => new Date(iso).toLocaleTimeString(lang.current === 'en' ? 'en-GB' : 'vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit' });
