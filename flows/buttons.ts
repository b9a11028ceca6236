import type { Button } from '../adapters/types.js';

/** Button action ids. Short, because action + payload must fit in 64 bytes on Telegram. */
export const A = {
  lang: 'lang', regOutlet: 'rout', verifyOk: 'vok', verifyNo: 'vno',
  topic: 'tp', askSend: 'aok', askCancel: 'acx',
  routeSuggested: 'sr', chooseOther: 'sc', routeTo: 'sco', rejectScope: 'sx', merge: 'sm',
  ack: 'ack', answer: 'ans', clarify: 'clq', transfer: 'trf', transferTo: 'trt', decline: 'dcl', declineGround: 'dcg',
  rate: 'rt', classify: 'cls', working: 'wk', extend: 'ext', extensionOk: 'exo', extensionNo: 'exn',
  classMenu: 'clm', conclusion: 'ccd', digestOpen: 'dgo',
  answerSend: 'aso', answerEdit: 'aed', answerCancel: 'acn', answerCorrect: 'acr',
} as const;

/** Builds one button. */
export function btn(label: string, action: string, payload: string | number): Button {
  return { label, action, payload: String(payload) };
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
