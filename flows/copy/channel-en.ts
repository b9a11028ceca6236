import type { ChannelCopy } from './channel-types.js';
import { choiceNumbers as numbers } from './format.js';

const NAMES = { telegram: 'Telegram', zalo_oa: 'Zalo (Official Account)', zalo_personal: 'Zalo', web: 'the web page' } as const;

export const channelEn: ChannelCopy = {
  platformName: (p) => NAMES[p],
  choiceHint: (n) => `Reply ${numbers(n, 'or')} to choose.`,
  choiceOutOfRange: (n) => `There is no such choice. Please reply with a number from 1 to ${n}.`,
  commandNeedsCode: (c) => `Please add the inquiry code, for example: /${c} Q-42`,
  inquiryCodeUnknown: (code) => `No inquiry ${code} was found. Type /pending or /my to see inquiry codes.`,
  linkCode: (code, m) => `Link code: ${code}\n\nSend this code (or /link ${code}) from your other chat (Telegram, Zalo or the web page) within ${m} minutes. It works once.`,
  linkNeedsPerson: 'This chat is not linked to an account yet. Send /link from the chat you registered with to get a code, then send the code here.',
  linkInvalid: (s) => s === 'used' ? 'This link code was already used or replaced by a newer one. Type /link in your registered chat for another.'
    : s === 'expired' ? 'This link code has expired (10 minutes). Type /link in your registered chat for a new one.'
      : 'That link code is not right. Please check it.',
  linkOtherPerson: 'This chat already belongs to another account, so it cannot be linked. Please contact an administrator if it must move.',
  linkAlreadyYours: 'This chat is already linked to your account.',
  linkDone: (n, p) => `${NAMES[n]} is now linked to your account. Notifications go to ${NAMES[p]}. Type /prefer in a chat to receive notifications there.`,
  preferSet: (p) => `Notifications will now go to ${NAMES[p]}.`,
  preferNeedsPerson: 'This chat is not linked to an account. Type /start to register, or /link to link it to an existing account.',
  tooManyCodes: (m) => `Too many wrong codes were sent from this account. Please try again in ${m} minutes, or ask your coordinator for help.`,
};
