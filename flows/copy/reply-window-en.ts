import type { ReplyWindowCopy } from './reply-window-types.js';
import { formatLocalTime } from './format.js';

const PLATFORMS: Record<string, string> = { zalo_oa: 'Zalo OA', zalo_personal: 'personal Zalo', telegram: 'Telegram', web: 'web page' };

/** English channel texts. */
export const replyWindowEn: ReplyWindowCopy = {
  authAlert: (p) => `⚠ The ${PLATFORMS[p] ?? p} channel can no longer send: Zalo rejected its refresh token. Messages on this channel are held (not lost) and go out as soon as an admin installs new tokens with:\nliaison zalo-oa tokens --access <access token> --refresh <refresh token>`,
  windowNotice: (h) => `Note: Zalo lets an official account reply only within ${h} hours of your last message. If the answer comes later, you will receive it the moment you send us any message (for example "xem").`,
  heldList: (ls) => [`Messages held back: ${ls.length}`, ...ls.map((l) => `• ${l.code ? `${l.code} — ` : ''}${l.name} — since ${formatLocalTime(l.createdAt)} — ${l.reason === 'credentials' ? `waiting for an admin to restore the ${PLATFORMS[l.platform] ?? l.platform} channel` : 'waiting for the recipient to write again (Zalo\'s reply window closed)'}`)].join('\n'),
  heldEmpty: 'No messages are held back.',
};
