import type { ZaloOaCopy } from './zalo-oa-types.js';

/** What each set-up code asks the operator to check (Zalo's own message follows it). */
const HINTS: Record<number, string> = {
  [-204]: 'the Official Account was deleted',
  [-205]: 'the Official Account does not exist',
  [-219]: 'the OA\'s Zalo app was removed or disabled',
  [-221]: 'the Official Account is not verified',
  [-320]: 'the app is not linked to a Zalo Cloud Account (needed for paid services)',
  [-321]: 'the app\'s Zalo Cloud Account is out of funds or cannot pay',
  [-14002]: 'Zalo refused the app id or app secret (ZALO_OA_APP_ID / ZALO_OA_APP_SECRET)',
};

/** English texts of the Zalo OA channel. */
export const zaloOaEn: ZaloOaCopy = {
  setupAlert: (code, detail) => `⚠️ Zalo OA channel: Zalo refuses to send because of how the Official Account or its Zalo app is set up (code ${code}${HINTS[code] ? `: ${HINTS[code]}` : ''}).\nZalo says: ${detail.slice(0, 200)}\n\nMessages on this channel are held (not lost) and go out by themselves once Zalo accepts them again. An admin should check the OA at oa.zalo.me and the app at developers.zalo.me.`,
};
