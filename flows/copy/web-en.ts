import type { WebLoginCopy } from './web-types.js';

export const webEn: WebLoginCopy = {
  loginCode: (link, code, minutes) => [
    'Sign in to the web chat page:',
    link ? `• Open this link (single use): ${link}` : '',
    `• Or type the code ${code} into the page's sign-in box.`,
    `The code is valid for ${minutes} minutes and works once. Do not pass it on. If you did not ask for it, ignore this message.`,
  ].filter(Boolean).join('\n'),
};
