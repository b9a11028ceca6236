import type { Button } from '../adapters/types.js';

/** Button action ids. Short, because action + payload must fit in 64 bytes on Telegram. */
export const A = {
  lang: 'lang', regOutlet: 'rout', verifyOk: 'vok', verifyNo: 'vno',
  topic: 'tp', askSend: 'aok', askCancel: 'acx', askFollow: 'afw',
  routeSuggested: 'sr', chooseOther: 'sc', routeTo: 'sco', rejectScope: 'sx', merge: 'sm',
  ack: 'ack', answer: 'ans', clarify: 'clq', transfer: 'trf', transferTo: 'trt', decline: 'dcl', declineGround: 'dcg',
  rate: 'rt', classify: 'cls', working: 'wk', extend: 'ext', extensionOk: 'exo', extensionNo: 'exn',
  classMenu: 'clm', conclusion: 'ccd', digestOpen: 'dgo',
  answerSend: 'aso', answerEdit: 'aed', answerCancel: 'acn', answerCorrect: 'acr',
} as const;

/**
 * Actions that settle the message they are on: a choice made once (language, topic, Send/Cancel,
 * a rating, a verdict). Their press is shown at once — the chosen button marked, the others
 * disabled — and the rating buttons do not come back. The buttons of a staff notice (acknowledge,
 * answer, clarify …) stay: the same notice serves several steps.
 */
const SETTLING: ReadonlySet<string> = new Set([
  A.lang, A.regOutlet, A.verifyOk, A.verifyNo, A.topic, A.askSend, A.askCancel, A.askFollow, A.routeSuggested, A.routeTo,
  A.transferTo, A.declineGround, A.rate, A.classify, A.extensionOk, A.extensionNo,
  A.answerSend, A.answerEdit, A.answerCancel,
]);

/** Whether pressing a button of `action` settles its message (see {@link SETTLING}). */
export function settles(action: string): boolean {
  return SETTLING.has(action);
}

/** Builds one button; `style` (a page's look): `secondary` for Cancel, `danger` for a refusal. */
export function btn(label: string, action: string, payload: string | number, style?: 'secondary' | 'danger'): Button {
  return { label, action, payload: String(payload), ...(style ? { style } : {}) };
}

/** Lays buttons out `perRow` to a row. */
export function rows(buttons: Button[], perRow: number): Button[][] {
  const out: Button[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) out.push(buttons.slice(i, i + perRow));
  return out;
}

/** `12.34` → [12, 34]; payloads joining two ids. Undefined when malformed. */
export function parsePair(payload: string): [number, string] | undefined {
  const dot = payload.indexOf('.');
  if (dot <= 0) return undefined;
  const id = Number(payload.slice(0, dot));
  return Number.isSafeInteger(id) && id > 0 ? [id, payload.slice(dot + 1)] : undefined;
}

/** A positive integer id payload, or undefined. */
export function parseId(payload: string): number | undefined {
  const id = Number(payload);
  return /^\d{1,12}$/.test(payload) && id > 0 ? id : undefined;
}
