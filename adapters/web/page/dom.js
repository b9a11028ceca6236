// The page's elements, its shared state, and small DOM helpers.
import { lang, t } from './i18n.js';

const { document } = globalThis;

export const $ = (id) => document.getElementById(id);

export const ui = {
  signIn: $('sign-in'), code: $('invite-code'), sendCode: $('send-code'), who: $('send-code-who'), chat: $('chat'), list: $('messages'), composer: $('composer'),
  text: $('composer-text'), replyBox: $('reply-to'), replyText: $('reply-to-text'), replyCancel: $('reply-cancel'),
  status: $('status'), error: $('error'), lang: $('lang-toggle'), signOut: $('sign-out'),
  switchBox: $('switch'), switchCancel: $('switch-cancel'),
};

export const state = {
  csrf: '', botName: '', previewActions: undefined, signedIn: false, lastId: 0, lastRev: 0, entries: new Map(), replyTo: undefined,
  source: undefined, retryTimer: undefined, retryMs: 3000, error: undefined, status: '', pendingCode: undefined,
};

/** An element with properties and children (strings become text, never HTML). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'className' || name === 'textContent' || name === 'hidden') node[name] = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

/** A short one-line excerpt of `text`. */
export const excerpt = (text, max = 90) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** `key` is a string key, or '' to clear. */
export function showStatus(key) {
  state.status = key;
  ui.status.textContent = key ? t(key) : '';
}

/** `error` is an API refusal `{message_vi, message_en}`, a string key, or undefined to clear. */
export function showError(error) {
  state.error = error;
  ui.error.hidden = error === undefined;
  if (error === undefined) ui.error.textContent = '';
  else if (typeof error === 'string') ui.error.textContent = t(error);
  else ui.error.textContent = (lang.current === 'en' ? error.message_en : error.message_vi) ?? t('network');
}
