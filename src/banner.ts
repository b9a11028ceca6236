import type { ProcessRole } from './main.js';

/** What the start banner reports; links are already built. */
export interface BannerFacts {
  role: ProcessRole;
  deployment: string;
  sampleLoaded: boolean;
  /** The web chat page, when this process serves it. */
  webBase?: string;
  /** "role: link" lines for the sample people on the web page, one sign-in slot each. */
  webLinks: string[];
  telegram?: { username: string; mode: string };
  /** "role: link" lines for the sample people as Telegram deep links. */
  telegramLinks: string[];
}

/** The operator's start banner: Vietnamese first, then English, no secrets. */
export function startBanner(f: BannerFacts): string {
  return [
    `Bot Mạng lưới phát ngôn đang chạy / is running (role: ${f.role}).`,
    f.deployment,
    f.sampleLoaded ? 'Danh bạ trống nên đã nạp mạng lưới mẫu (Thành phố Huế) / The directory was empty, so the sample network (Thành phố Huế) was loaded.' : '',
    f.webBase ? `Trang web / Web chat: ${f.webBase}` : '',
    f.webLinks.length > 0 ? [
      'Dùng thử: mở mỗi đường dẫn trong một thẻ của cùng trình duyệt (mỗi thẻ là một người).',
      'Try it: open each link in its own tab of the same browser (each tab is a different person):',
      ...f.webLinks,
    ].join('\n') : '',
    f.webBase ? 'Các thẻ vẫn đăng nhập sau khi khởi động lại / Tabs stay signed in across restarts. Đăng nhập lại / Sign in again: npm run liaison -- web link <person-code> (e.g. PV-HUE-01), or /web in their Telegram/Zalo chat.' : '',
    f.telegram ? `Telegram: https://t.me/${f.telegram.username} (${f.telegram.mode})` : '',
    f.telegramLinks.length > 0 ? `Dùng thử từ các tài khoản Telegram khác nhau / Try it from different Telegram accounts:\n${f.telegramLinks.join('\n')}` : '',
    'Mọi đường dẫn mời / All invite links: npm run liaison -- invites export · Dừng / Stop: Ctrl+C',
  ].filter(Boolean).join('\n');
}
