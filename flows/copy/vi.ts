import type { Copy, InquiryLine, InquiryView } from './types.js';
import { channelVi } from './channel-vi.js';
import { replyWindowVi } from './reply-window-vi.js';
import { deadlineVi } from './deadline-vi.js';
import { lifecycleVi } from './lifecycle-vi.js';
import { filesVi } from './files-vi.js';
import { zaloPersonalVi } from './zalo-personal-vi.js';
import { zaloOaVi } from './zalo-oa-vi.js';
import { noticeVi } from './notice-vi.js';
import { webVi } from './web-vi.js';
import { answerVi } from './answer-vi.js';
import { similarVi } from './similar-vi.js';
import { pressVi } from './press-vi.js';
import { excerpt, formatDue, formatLocalTime, formatMonth, type DueArg } from './format.js';

const STATUS: Record<string, string> = {
  screening: 'đang sàng lọc', assigned: 'đã chuyển cơ quan', acknowledged: 'đang xử lý',
  clarifying: 'chờ phóng viên bổ sung', answered: 'đã trả lời', declined: 'từ chối cung cấp',
  rejected: 'không thuộc phạm vi', merged: 'đã gộp', withdrawn: 'đã rút',
};
const GROUNDS: Record<string, string> = {
  secret: 'Thuộc bí mật nhà nước, bí mật đời tư hoặc bí mật khác theo luật',
  investigation: 'Vụ việc đang điều tra hoặc chưa xét xử',
  unresolved: 'Vụ việc đang thanh tra, giải quyết khiếu nại, tố cáo chưa có kết luận',
  draft_policy: 'Dự thảo chính sách chưa được phép công bố',
};
const CLASSES: Record<string, string> = {
  incident: 'Sự việc đột xuất, bất thường', public_opinion: 'Dư luận trái chiều', routine: 'Câu hỏi thông thường',
  forwarded_petition: 'Kiến nghị, phản ánh qua báo chí', complaint_conclusion: 'Thông báo kết luận khiếu nại', press_answer: 'Trả lời trên báo chí',
};
const RATINGS: Record<string, string> = { satisfied: 'Hài lòng', acceptable: 'Chấp nhận được', unsatisfied: 'Không hài lòng' };
const ROLES: Record<string, string> = {
  reporter: 'phóng viên', spokesperson: 'người phát ngôn', coordinator: 'đầu mối sàng lọc', contact: 'đầu mối truyền thông', admin: 'quản trị', leader: 'lãnh đạo',
};

function due(at: DueArg | null): string {
  return at ? `\nHạn trả lời: ${formatDue(at, 'vi')}` : '';
}

function card(v: InquiryView): string {
  return `Câu hỏi ${v.code} — lĩnh vực: ${v.topicName}\nPhóng viên: ${v.reporterName} (${v.outletName})\nNhận lúc: ${formatLocalTime(v.receivedAt)}${due(v.dueAt)}\n\n${v.question}`;
}

function line(l: InquiryLine): string {
  return `• ${l.code} — ${STATUS[l.status]} — ${l.orgName}${l.dueAt ? ` — hạn ${formatDue(l.dueAt, 'vi')}` : ''}${l.answerHasFiles ? ` — ${filesVi.answerHasFiles}` : ''}\n  ${excerpt(l.question)}`;
}

/** Vietnamese, the default language. */
export const vi: Copy = {
  locale: 'vi',
  statusLabel: (s) => STATUS[s] ?? s,
  groundLabel: (g) => GROUNDS[g] ?? g,
  ratingLabel: (r) => RATINGS[r] ?? r,
  roleLabel: (r) => ROLES[r] ?? r,
  classLabel: (c) => CLASSES[c] ?? c,
  deadline: deadlineVi,
  lifecycle: lifecycleVi,
  files: filesVi,
  zaloPersonal: zaloPersonalVi,
  zaloOa: zaloOaVi,
  notice: noticeVi,
  channel: channelVi,
  replyWindow: replyWindowVi,
  web: webVi,
  press: pressVi,
  answer: answerVi,
  similar: similarVi,

  help: (roles, registered) => [
    'Mạng lưới phát ngôn — trợ lý tiếp nhận câu hỏi báo chí.',
    !registered ? '/start — đăng ký phóng viên (hoặc /start <mã mời>)' : '',
    roles.includes('reporter') ? 'Gửi câu hỏi: gõ nội dung câu hỏi hoặc /ask\n/my — các câu hỏi của bạn và tình trạng\n/withdraw <mã> — rút câu hỏi\n/follow <mã> — theo dõi câu hỏi tương tự của phóng viên khác (/unfollow <mã> để thôi)\nTrả lời trực tiếp tin nhắn trả lời để hỏi thêm.' : '',
    roles.includes('spokesperson') ? '/pending — các câu hỏi đang chờ cơ quan bạn trả lời\nTrả lời trực tiếp tin nhắn câu hỏi để gửi câu trả lời.\nKhi không có nút: gõ /answer, /ack, /clarify, /decline, /transfer hoặc /extend kèm mã câu hỏi (/answer Q-42).\n/conclusion <mã> — nhập ngày kết luận khiếu nại (thời hạn tính từ ngày đó).' : '',
    roles.includes('coordinator') ? 'Bạn nhận yêu cầu xác minh phóng viên và câu hỏi cần sàng lọc kèm nút thao tác.\n/stats — số liệu trả lời đúng hạn, quá hạn theo cơ quan\n/notice — gửi thông báo tới phóng viên, người phát ngôn (gõ lệnh để xem hướng dẫn)\nKhi không có nút: gõ /route, /reroute, /reject hoặc /merge kèm mã câu hỏi (/route Q-42).\n/class <mã> — xác định loại câu hỏi (thời hạn trả lời); /conclusion <mã> — nhập ngày kết luận khiếu nại.' : '',
    roles.includes('leader') && !roles.includes('coordinator') ? '/stats — số liệu trả lời đúng hạn, quá hạn theo cơ quan' : '',
    roles.includes('reporter') ? 'Họp báo: /register HB-<số> — đăng ký dự; /confq HB-<số> <mã cơ quan> <câu hỏi> — gửi câu hỏi trước.' : '',
    roles.includes('spokesperson') ? '/correction — ghi nhận đề nghị cải chính gửi cơ quan báo chí; /statement — ghi nhận phát ngôn chủ động về một sự việc (gõ lệnh để xem cú pháp).' : '',
    roles.includes('coordinator') ? '/conference — lên lịch họp báo (gõ lệnh để xem cú pháp); /conference held HB-<số> — đánh dấu đã họp.' : '',
    roles.some((r) => r === 'coordinator' || r === 'leader' || r === 'admin') ? 'Bảng điều khiển số liệu: trang /dashboard trên trang web của hệ thống (đăng nhập bằng mã nhận khi gõ /web).' : '',
    registered ? '/link — dùng thêm kênh khác (Telegram, Zalo, web)\n/prefer — nhận thông báo ở kênh này' : '',
    '/lang vi|en — đổi ngôn ngữ\n/cancel — hủy thao tác đang làm\n/help — hướng dẫn',
  ].filter(Boolean).join('\n\n'),
  unknownCommand: (c) => `Lệnh /${c} không có. Gõ /help để xem các lệnh.`,
  notRegistered: (startLinks) => (startLinks
    ? 'Bạn chưa đăng ký. Gõ /start để đăng ký là phóng viên, hoặc mở đường dẫn mời bạn đã nhận.'
    : 'Bạn chưa đăng ký. Nếu bạn đã nhận mã mời, hãy gửi mã đó thành một tin nhắn; nếu chưa có, gõ /start để đăng ký là phóng viên.'),
  pendingVerification: 'Tài khoản của bạn đang chờ đầu mối sàng lọc xác minh. Bạn sẽ được báo ngay khi được duyệt; sau đó có thể gửi câu hỏi.',
  reporterRejected: 'Đăng ký phóng viên của bạn chưa được chấp thuận, nên chưa thể gửi câu hỏi. Vui lòng liên hệ đầu mối sàng lọc của mạng lưới.',
  notAllowed: 'Xin lỗi, bạn không có quyền thực hiện thao tác này.',
  stale: (code, s) => `Thao tác không còn hiệu lực: câu hỏi ${code} hiện ở trạng thái "${STATUS[s] ?? s}".`,
  inquiryNotFound: (code) => `Không tìm thấy câu hỏi ${code}.`,
  unknownButton: 'Nút này không còn dùng được. Gõ /my hoặc /pending để xem các câu hỏi, /help để xem hướng dẫn.',
  alreadyChosen: 'Lựa chọn này đã được ghi nhận. Để gửi câu hỏi mới, hãy gõ nội dung câu hỏi.',
  cancelled: 'Đã hủy thao tác.',
  nothingToCancel: 'Không có thao tác nào đang làm.',
  langSet: 'Đã chuyển sang tiếng Việt.',
  langUsage: 'Cách dùng: /lang vi hoặc /lang en',
  textTooLong: (max) => `Nội dung quá dài (tối đa ${max} ký tự). Vui lòng rút gọn rồi gửi lại.`,
  reasonTooShort: (min) => `Lý do cần ít nhất ${min} ký tự để người nhận hiểu rõ. Vui lòng gõ lại (hoặc /cancel).`,
  textOnly: 'Bot chỉ đọc được văn bản, ảnh và tệp (không đọc nhãn dán, vị trí hay danh thiếp). Vui lòng gõ nội dung.',
  emptyQuestion: 'Câu hỏi trống: tin nhắn không có chữ nào (chỉ có dấu cách hoặc ký tự ẩn), nên chưa được gửi. Vui lòng gõ nội dung câu hỏi.',
  emptyMessage: 'Tin nhắn trống: không có chữ nào (chỉ có dấu cách hoặc ký tự ẩn). Vui lòng gõ nội dung.',
  genericError: 'Xin lỗi, đã có lỗi khi xử lý tin nhắn của bạn. Vui lòng thử lại sau ít phút.',
  useButtons: 'Vui lòng chọn một trong các nút ở tin nhắn trên, hoặc /cancel để hủy.',

  welcome: 'Chào mừng đến với Mạng lưới phát ngôn — kênh gửi câu hỏi của báo chí tới người phát ngôn các cơ quan.',
  chooseLanguage: 'Vui lòng chọn ngôn ngữ / Please choose a language:',
  askFullName: 'Đăng ký phóng viên (bước 1/3): vui lòng gõ họ và tên đầy đủ của bạn.',
  invalidName: 'Họ tên cần từ 2 đến 100 ký tự. Vui lòng gõ lại.',
  askOutlet: 'Bước 2/3: bạn công tác tại cơ quan báo chí nào? Chọn bên dưới hoặc gõ tên cơ quan.',
  outletOther: 'Cơ quan khác (gõ tên)',
  askPressCard: 'Bước 3/3: vui lòng gõ số thẻ nhà báo của bạn.',
  invalidPressCard: 'Số thẻ nhà báo cần 3–30 ký tự chữ và số. Vui lòng gõ lại.',
  registrationSubmitted: 'Cảm ơn bạn. Thông tin đăng ký đã được gửi tới đầu mối sàng lọc để xác minh. Bạn sẽ được báo kết quả tại đây.',
  alreadyRegistered: (name) => `Bạn đã đăng ký với tên ${name}. Gõ /help để xem hướng dẫn.`,
  verifyRequest: (p) => `Yêu cầu xác minh phóng viên\nHọ tên: ${p.name}\nCơ quan báo chí: ${p.outlet}\nSố thẻ nhà báo: ${p.pressCard}\nTài khoản: ${p.handle}`,
  approve: 'Duyệt',
  reject: 'Từ chối',
  reporterApproved: 'Tài khoản phóng viên của bạn đã được xác minh. Bạn có thể gửi câu hỏi: gõ nội dung câu hỏi hoặc /ask.',
  reporterRejectedNotice: 'Rất tiếc, đăng ký phóng viên của bạn chưa được chấp thuận. Nếu có nhầm lẫn, vui lòng liên hệ đầu mối sàng lọc.',
  verifyDone: (name, ok) => `${ok ? 'Đã duyệt' : 'Đã từ chối'} phóng viên ${name}.`,
  verifyAlreadyDone: (name) => `Yêu cầu của ${name} đã được xử lý trước đó.`,
  inviteAccepted: (name, roles, agencies = []) => [
    `Xin chào ${name}! Tài khoản đã được liên kết với vai trò: ${roles.map((r) => ROLES[r]).join(', ')}.`,
    roles.includes('reporter') ? 'Gõ câu hỏi của bạn để gửi; câu trả lời sẽ về ngay tại đây.' : '',
    roles.includes('spokesperson') ? `Bạn là người phát ngôn${agencies.length ? ` của ${agencies.join(', ')}` : ''}: câu hỏi báo chí gửi cơ quan sẽ đến đây. Gõ /pending để xem các câu hỏi đang chờ trả lời.` : '',
    roles.includes('coordinator') ? 'Câu hỏi cần sàng lọc và yêu cầu xác minh phóng viên sẽ đến đây kèm nút thao tác; gõ /notice để gửi thông báo.' : '',
    'Gõ /help để xem hướng dẫn.',
  ].filter(Boolean).join('\n'),
  staffTextHint: (roles) => [
    roles.includes('spokesperson') ? 'Để trả lời một câu hỏi: trả lời trực tiếp tin nhắn câu hỏi, hoặc bấm nút "Trả lời" dưới câu hỏi. Gõ /pending để xem các câu hỏi đang chờ.' : '',
    roles.includes('coordinator') ? 'Để gửi thông báo, gõ /notice; để xử lý câu hỏi cần sàng lọc, dùng các nút dưới câu hỏi.' : '',
    'Gõ /help để xem hướng dẫn.',
  ].filter(Boolean).join('\n'),
  inviteInvalid: (startLinks) => (startLinks
    ? 'Mã mời không hợp lệ. Vui lòng kiểm tra lại đường dẫn, hoặc gõ /start để đăng ký.'
    : 'Mã mời không hợp lệ. Vui lòng kiểm tra lại mã (gõ đúng từng ký tự), hoặc gõ /start để đăng ký.'),
  inviteUsed: 'Mã mời này đã được sử dụng. Nếu đó không phải bạn, vui lòng báo quản trị mạng lưới.',

  askPrompt: 'Vui lòng gõ nội dung câu hỏi của bạn.',
  chooseTopic: (q) => `Câu hỏi của bạn thuộc lĩnh vực nào?\n\n«${excerpt(q, 200)}»`,
  confirmQuestion: (t, o, s) => `Xác nhận gửi câu hỏi?\nLĩnh vực: ${t}\nCơ quan trả lời: ${o}${s ? '\n(Câu hỏi sẽ qua đầu mối sàng lọc trước khi chuyển cơ quan.)' : ''}`,
  send: 'Gửi',
  sendUrgentIncident: 'Gửi — khẩn: sự việc đột xuất',
  sendUrgentOpinion: 'Gửi — khẩn: dư luận trái chiều',
  cancel: 'Hủy',
  inquiryAccepted: (code, org, s, d) => `Đã tiếp nhận câu hỏi ${code}.\nCơ quan: ${org}${s ? ' (đang qua đầu mối sàng lọc)' : ''}${due(d)}\nCâu trả lời sẽ được gửi vào đây, ngay dưới câu hỏi của bạn. Gõ /my để xem tình trạng.`,
  askCancelled: 'Đã hủy, câu hỏi chưa được gửi.',

  screeningNotice: (v, org) => `Câu hỏi cần sàng lọc\n${card(v)}\n\nCơ quan đề xuất: ${org}`,
  routeTo: (o) => `Chuyển: ${excerpt(o, 40)}`,
  chooseOther: 'Chọn cơ quan khác',
  rejectOutOfScope: 'Từ chối (ngoài phạm vi)',
  merge: 'Gộp vào câu hỏi khác',
  chooseOrg: (c) => `Chọn cơ quan nhận câu hỏi ${c}:`,
  askRejectReason: (c) => `Vui lòng gõ lý do từ chối câu hỏi ${c}. Phóng viên sẽ nhận được lý do này.`,
  askMergeCode: (c) => `Gõ mã câu hỏi đang mở để gộp ${c} vào (ví dụ Q-12).`,
  mergeInvalid: (c, again) => `Không thể gộp vào ${c}: câu hỏi không tồn tại, đã đóng, hoặc chính là câu hỏi này.${again ? ' Gõ mã khác hoặc /cancel.' : ''}`,
  rejectedToReporter: (c, r) => `Câu hỏi ${c} không thuộc phạm vi tiếp nhận của mạng lưới.\nLý do: ${r}`,
  mergedToReporter: (c, into) => `Câu hỏi ${c} trùng nội dung với câu hỏi ${into} đang được xử lý, nên đã được gộp. Bạn sẽ nhận câu trả lời tại đây khi có.`,
  screeningDone: (c, what) => `Câu hỏi ${c}: ${what}.`,
  routedWhat: (o) => `đã chuyển tới ${o}`,
  rejectedWhat: 'đã từ chối, phóng viên đã được báo lý do',
  mergedWhat: (into) => `đã gộp vào ${into}`,

  staffNotice: (v, note) => `${note ? `${note}\n` : ''}${card(v)}\n\nĐể trả lời: trả lời trực tiếp tin nhắn này, hoặc bấm "Trả lời".`,
  btnAck: 'Nhận xử lý',
  btnAnswer: 'Trả lời',
  btnClarify: 'Hỏi lại phóng viên',
  btnTransfer: 'Chuyển đơn vị',
  btnDecline: 'Từ chối',
  askAnswerText: (c) => `Gõ nội dung trả lời cho câu hỏi ${c} (hoặc /cancel để hủy).`,
  askClarifyText: (c) => `Gõ câu hỏi cần phóng viên làm rõ về ${c}.`,
  chooseTransferOrg: (c) => `Chuyển câu hỏi ${c} tới cơ quan nào?`,
  chooseGround: (c) => `Chọn căn cứ từ chối cung cấp thông tin cho câu hỏi ${c} (Luật Báo chí):`,
  askDeclineReason: (c, g) => `Căn cứ: ${g}.\nVui lòng gõ lý do cụ thể; phóng viên sẽ nhận được cả căn cứ và lý do (câu hỏi ${c}).`,
  ackToReporter: (c, o) => `${o} đã nhận xử lý câu hỏi ${c}.`,
  ackDone: (c) => `Bạn đã nhận xử lý câu hỏi ${c}.`,
  transferToReporter: (c, o) => `Câu hỏi ${c} đã được chuyển tới ${o}, cơ quan có thẩm quyền trả lời. Thời điểm tiếp nhận vẫn giữ nguyên.`,
  transferDone: (c, o) => `Đã chuyển câu hỏi ${c} tới ${o}.`,
  clarifyToReporter: (c, o, q) => `${o} đề nghị bạn làm rõ câu hỏi ${c}:\n\n${q}\n\nVui lòng trả lời trực tiếp tin nhắn này để bổ sung.`,
  clarifyDone: (c) => `Đã gửi câu hỏi làm rõ tới phóng viên (câu hỏi ${c}).`,
  clarifyReplyToStaff: (c, r, t) => `Phóng viên ${r} bổ sung cho câu hỏi ${c}:\n\n${t}\n\nTrả lời trực tiếp tin nhắn này để gửi câu trả lời.`,
  forwardedToStaff: (c) => `Đã chuyển nội dung của bạn tới người phát ngôn (câu hỏi ${c}).`,
  followupToStaff: (c, r, t) => `Phóng viên ${r} hỏi thêm về câu hỏi ${c}:\n\n${t}\n\nTrả lời trực tiếp tin nhắn này để gửi câu trả lời.`,
  rateButtons: { satisfied: 'Hài lòng', acceptable: 'Chấp nhận được', unsatisfied: 'Không hài lòng' },
  ratingThanks: (l) => `Cảm ơn bạn đã đánh giá: ${l}.`,
  alreadyRated: (l) => `Bạn đã đánh giá câu trả lời này: ${l}.`,
  followupClosed: (c, s) => `Câu hỏi ${c} đã ở trạng thái "${STATUS[s] ?? s}", không thể hỏi thêm. Vui lòng gửi câu hỏi mới.`,

  classConfirmRequest: (c, r, q) => `Phóng viên đề nghị xử lý khẩn câu hỏi ${c} (${r}).\n«${excerpt(q, 200)}»\nVui lòng xác nhận hoặc chọn loại câu hỏi:`,
  classChanged: (c, cls, d, b) => `Câu hỏi ${c} được xác định là: ${cls}.\nHạn trả lời: ${formatDue(d, 'vi')}\nCăn cứ: ${b}`,
  classDone: (c, cls) => `Đã xác định câu hỏi ${c}: ${cls}.`,
  btnExtend: 'Xin gia hạn',
  askExtensionReason: (c, d) => `Xin gia hạn câu hỏi ${c} (hạn hiện tại ${formatDue(d, 'vi')}). Vui lòng gõ lý do.`,
  askExtensionDue: (c, ex) => `Đề xuất hạn mới cho câu hỏi ${c}, dạng ngày/tháng/năm giờ:phút (ví dụ ${ex}).`,
  invalidExtensionDue: (d) => `Hạn đề xuất cần đúng dạng ngày/tháng/năm giờ:phút và sau hạn hiện tại (${formatDue(d, 'vi')}). Vui lòng gõ lại.`,
  extensionRequest: (p) => `Đề nghị gia hạn câu hỏi ${p.code} — ${p.org}\nNgười đề nghị: ${p.by}\nLý do: ${p.reason}\nHạn hiện tại: ${formatDue(p.dueAt, 'vi')}\nHạn đề xuất: ${formatDue(p.proposedAt, 'vi')}`,
  extensionSubmitted: (c) => `Đã gửi đề nghị gia hạn câu hỏi ${c} tới đầu mối sàng lọc.`,
  extensionApproved: (c, d) => `Đề nghị gia hạn câu hỏi ${c} đã được chấp thuận. Hạn mới: ${formatDue(d, 'vi')}.`,
  extensionRejected: (c) => `Đề nghị gia hạn câu hỏi ${c} không được chấp thuận; hạn trả lời giữ nguyên.`,
  extensionToReporter: (c, o, d) => `${o} được gia hạn trả lời câu hỏi ${c}. Hạn mới: ${formatDue(d, 'vi')}.`,
  extensionDecided: (c, ok) => `${ok ? 'Đã chấp thuận' : 'Đã từ chối'} gia hạn câu hỏi ${c}.`,
  extensionAlreadyDecided: 'Đề nghị gia hạn này đã được xử lý trước đó.',
  clockPaused: 'Thời hạn trả lời tạm dừng cho tới khi phóng viên bổ sung.',
  clockResumed: (d) => `Thời hạn trả lời tính tiếp; hạn mới: ${formatDue(d, 'vi')}.`,
  calendarMissing: (y) => `Chưa nhập lịch nghỉ lễ, nghỉ bù chính thức năm ${y}. Thời hạn trả lời năm ${y} đang tính theo lịch mặc định của Bộ luật Lao động. Vui lòng nhập lịch khi được công bố: liaison calendar import <tệp.csv>.`,
  stats: (m, ls) => ls.length === 0 ? `Chưa có câu hỏi nào trong phạm vi của bạn.` : [`Số liệu tháng ${formatMonth(m)} (quá hạn: tính đến hiện tại):`, ...ls.map((l) => `• ${l.org}: nhận ${l.received}, trả lời ${l.replied}, đúng hạn ${l.replied ? Math.round((100 * l.onTime) / l.replied) : 0}%${l.overdueOpen ? `, ⚠ quá hạn ${l.overdueOpen}` : ''}`)].join('\n'),
  withdrawUsage: 'Cách dùng: /withdraw <mã câu hỏi>, ví dụ /withdraw Q-12 (xem mã bằng /my).',
  withdrawn: (c) => `Đã rút câu hỏi ${c}. Cơ quan trả lời đã được báo.`,
  withdrawnToStaff: (c, r) => `Phóng viên ${r} đã rút câu hỏi ${c}; không cần trả lời nữa.`,
  workingNoted: (c) => `Đã ghi nhận: bạn đang xử lý câu hỏi ${c}.`,
  myList: (ls) => `Các câu hỏi của bạn:\n${ls.map(line).join('\n')}`,
  myEmpty: 'Bạn chưa gửi câu hỏi nào. Gõ nội dung câu hỏi để bắt đầu.',
  pendingList: (ls) => `Câu hỏi đang chờ trả lời:\n${ls.map(line).join('\n')}`,
  pendingEmpty: 'Không có câu hỏi nào đang chờ cơ quan bạn trả lời.',
  unreachableToCoordinator: (p) => `Không gửi được tin nhắn tới ${p.name} (${p.platform}): ${p.reason}${p.code ? ` — liên quan câu hỏi ${p.code}` : ''}. Vui lòng liên hệ qua kênh khác.`,
};
