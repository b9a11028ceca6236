import type { ReplyWindowCopy } from './reply-window-types.js';
import { formatLocalTime } from './format.js';

const PLATFORMS: Record<string, string> = { zalo_oa: 'Zalo OA', zalo_personal: 'Zalo cá nhân', telegram: 'Telegram', web: 'trang web' };

/** Vietnamese channel texts. */
export const replyWindowVi: ReplyWindowCopy = {
  authAlert: (p) => `⚠ Kênh ${PLATFORMS[p] ?? p} đã mất quyền gửi tin: Zalo từ chối mã làm mới (refresh token). Tin gửi qua kênh này được giữ lại (không mất) và sẽ được gửi ngay khi quản trị viên cài mã mới bằng lệnh:\nliaison zalo-oa tokens --access <mã truy cập> --refresh <mã làm mới>`,
  windowNotice: (h) => `Lưu ý: Zalo chỉ cho phép tài khoản chính thức trả lời trong vòng ${h} giờ kể từ tin nhắn gần nhất của bạn. Nếu câu trả lời đến sau thời hạn đó, bạn sẽ nhận được ngay khi nhắn bất kỳ tin nào cho chúng tôi (ví dụ: "xem").`,
  heldList: (ls) => [`Tin đang được giữ lại: ${ls.length}`, ...ls.map((l) => `• ${l.code ? `${l.code} — ` : ''}${l.name} — từ ${formatLocalTime(l.createdAt)} — ${l.reason === 'credentials' ? `chờ quản trị viên khôi phục kênh ${PLATFORMS[l.platform] ?? l.platform}` : 'chờ người nhận nhắn lại (khung trả lời của Zalo đã đóng)'}`)].join('\n'),
  heldEmpty: 'Không có tin nào đang được giữ lại.',
};
