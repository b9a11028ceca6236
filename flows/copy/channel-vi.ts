import type { ChannelCopy } from './channel-types.js';
import { choiceNumbers as numbers } from './format.js';

const NAMES = { telegram: 'Telegram', zalo_oa: 'Zalo (Official Account)', zalo_personal: 'Zalo', web: 'trang web' } as const;

export const channelVi: ChannelCopy = {
  platformName: (p) => NAMES[p],
  choiceHint: (n) => `Trả lời ${numbers(n, 'hoặc')} để chọn.`,
  choiceOutOfRange: (n) => `Không có lựa chọn này. Vui lòng trả lời một số từ 1 đến ${n}.`,
  commandNeedsCode: (c) => `Vui lòng ghi kèm mã câu hỏi, ví dụ: /${c} Q-42`,
  inquiryCodeUnknown: (code) => `Không tìm thấy câu hỏi ${code}. Gõ /pending hoặc /my để xem các mã câu hỏi.`,
  linkCode: (code, m) => `Mã liên kết: ${code}\n\nHãy gửi mã này (hoặc /link ${code}) từ kênh còn lại (Telegram, Zalo hoặc trang web) trong ${m} phút. Mã chỉ dùng được một lần.`,
  linkNeedsPerson: 'Kênh này chưa gắn với tài khoản nào. Hãy gửi /link từ kênh bạn đã đăng ký để lấy mã, rồi gửi mã đó ở đây.',
  linkInvalid: (s) => s === 'used' ? 'Mã liên kết này đã được dùng hoặc đã được thay bằng mã mới. Gõ /link ở kênh đã đăng ký để lấy mã khác.'
    : s === 'expired' ? 'Mã liên kết đã hết hạn (10 phút). Gõ /link ở kênh đã đăng ký để lấy mã mới.'
      : 'Mã liên kết không đúng. Vui lòng kiểm tra lại mã.',
  linkOtherPerson: 'Kênh này đã gắn với một tài khoản khác nên không thể liên kết. Vui lòng liên hệ quản trị viên nếu cần chuyển.',
  linkAlreadyYours: 'Kênh này đã được liên kết với tài khoản của bạn.',
  linkDone: (n, p) => `Đã liên kết ${NAMES[n]} với tài khoản của bạn. Thông báo sẽ được gửi về ${NAMES[p]}. Gõ /prefer ở kênh nào để nhận thông báo tại kênh đó.`,
  preferSet: (p) => `Từ nay thông báo sẽ được gửi về ${NAMES[p]}.`,
  preferNeedsPerson: 'Kênh này chưa gắn với tài khoản nào. Gõ /start để đăng ký, hoặc /link để liên kết với tài khoản đã có.',
  tooManyCodes: (m) => `Tài khoản này đã gửi sai mã quá nhiều lần. Vui lòng thử lại sau ${m} phút, hoặc liên hệ điều phối viên để được hỗ trợ.`,
};
