import type { WebLoginCopy } from './web-types.js';

export const webVi: WebLoginCopy = {
  loginCode: (link, code, minutes) => [
    'Đăng nhập trang trò chuyện trên web:',
    link ? `• Mở liên kết này (dùng một lần): ${link}` : '',
    `• Hoặc nhập mã ${code} vào ô đăng nhập của trang.`,
    `Mã có hiệu lực ${minutes} phút và chỉ dùng được một lần. Đừng chuyển mã cho người khác. Nếu bạn không yêu cầu, hãy bỏ qua tin này.`,
  ].filter(Boolean).join('\n'),
};
