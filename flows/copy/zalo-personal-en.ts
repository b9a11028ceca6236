import type { ZaloPersonalCopy } from './zalo-personal-types.js';

const REASONS: Record<string, string> = {
  session_expired: 'its session expired',
  login_refused: 'Zalo refused the saved login',
  no_credentials: 'no saved login was found',
};

/** English texts of the personal Zalo account channel. */
export const zaloPersonalEn: ZaloPersonalCopy = {
  needsLogin: (reason) => `⚠️ The bot's personal Zalo account has stopped working (${REASONS[reason] ?? reason}). Messages to Zalo personal chats are being held.\n\nAn admin needs to scan a new QR code: run \`liaison zalo login\` on the server, scan the code with that account's Zalo app, then restart the bot.`,
};
