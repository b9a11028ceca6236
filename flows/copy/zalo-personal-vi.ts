import type { ZaloPersonalCopy } from './zalo-personal-types.js';

const REASONS: Record<string, string> = {
  session_expired: 'phiên đăng nhập đã hết hạn',
  login_refused: 'Zalo từ chối thông tin đăng nhập đã lưu',
  no_credentials: 'chưa có thông tin đăng nhập đã lưu',
};

/** Vietnamese texts of the personal Zalo account channel. */
export const zaloPersonalVi: ZaloPersonalCopy = {
  needsLogin: (reason) => `⚠️ Kênh Zalo cá nhân của bot đã ngừng hoạt động (${REASONS[reason] ?? reason}). Tin nhắn gửi qua Zalo cá nhân đang được giữ lại.\n\nĐề nghị quản trị viên quét mã QR mới: chạy lệnh \`liaison zalo login\` trên máy chủ, quét mã bằng ứng dụng Zalo của tài khoản đó, rồi khởi động lại bot.`,
};
