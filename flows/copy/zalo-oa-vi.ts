import type { ZaloOaCopy } from './zalo-oa-types.js';

/** What each set-up code asks the operator to check (Zalo's own message follows it). */
const HINTS: Record<number, string> = {
  [-204]: 'Official Account đã bị xóa',
  [-205]: 'Official Account không tồn tại',
  [-219]: 'ứng dụng Zalo của OA đã bị gỡ bỏ hoặc vô hiệu hóa',
  [-221]: 'Official Account chưa được xác thực',
  [-320]: 'ứng dụng chưa liên kết Zalo Cloud Account (cần cho dịch vụ trả phí)',
  [-321]: 'Zalo Cloud Account của ứng dụng đã hết tiền hoặc không thanh toán được',
  [-14002]: 'Zalo từ chối App ID hoặc App Secret (ZALO_OA_APP_ID / ZALO_OA_APP_SECRET)',
};

/** Vietnamese texts of the Zalo OA channel. */
export const zaloOaVi: ZaloOaCopy = {
  setupAlert: (code, detail) => `⚠️ Kênh Zalo OA: Zalo từ chối gửi tin vì thiết lập của Official Account hoặc ứng dụng Zalo (mã ${code}${HINTS[code] ? `: ${HINTS[code]}` : ''}).\nThông báo của Zalo: ${detail.slice(0, 200)}\n\nTin nhắn qua kênh này được giữ lại (không mất) và sẽ tự gửi khi Zalo chấp nhận trở lại. Đề nghị quản trị viên kiểm tra OA tại oa.zalo.me và ứng dụng tại developers.zalo.me.`,
};
