import type { ReplyWindowCopy } from './reply-window-types.js';
import { formatLocalTime } from './format.js';

const PLATFORMS: Record<string, string> = { zalo_oa: 'Zalo OA', zalo_personal: 'personal Zalo', telegram: 'Telegram', web: 'web page' };

/** English channel texts. */
export const replyWindowEn: ReplyWindowCopy = {
  authAlert: (p) => `⚠ The ${PLATFORMS[p] ?? p} channel can no longer send: Zalo rejected its refresh token. The bot stopped sending on this channel until an admin installs new tokens with:\nliaison zalo-oa tokens --access <access token> --refresh <refresh token>`,
  windowNotice: (h) => `Note: Zalo lets an official account reply only within ${h} hours of your last message. If the answer comes later, you will receive it the moment you send us any message (for example "xem").`,
  heldList: (ls) => [`Messages waiting for their recipient to write again (Zalo's reply window closed): ${ls.length}`, ...ls.map((l) => `• ${l.code ? `${l.code} — ` : ''}${l.name} — since ${formatLocalTime(l.createdAt)}`)].join('\n'),
  heldEmpty: 'No messages are waiting for their recipient to write again.',
};
