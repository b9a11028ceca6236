import { randomInt } from 'node:crypto';
import { findPerson, preferredIdentity } from '../db/repositories/directory.js';
import { linkIdentity, setDialog, setIdentityLocale, setPreferredIdentity } from '../db/repositories/identities.js';
import { consumeLinkCode, insertLinkCode, linkCodeState } from '../db/repositories/link-codes.js';
import type { FlowContext } from './context.js';
import { redeliverUndelivered } from './registration/index.js';

/** How long a link code works, in minutes (issue 4). */
export const LINK_CODE_MINUTES = 10;
/** Digits and capitals without look-alikes; 8 of them (~10^12) cannot be guessed in 10 minutes. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;
/** What a typed code may look like: the alphabet, any case, with optional spaces or dashes. */
const CODE_SHAPE = /^[A-Za-z0-9][A-Za-z0-9 -]{6,14}[A-Za-z0-9]$/;

/** `LINK-…` codes are typed by hand: case, spaces and dashes do not matter. */
export function normaliseLinkCode(text: string): string | undefined {
  const trimmed = text.trim();
  if (!CODE_SHAPE.test(trimmed)) return undefined;
  const code = trimmed.replace(/[\s-]/g, '').toUpperCase();
  return code.length === CODE_LENGTH ? code : undefined;
}

function newCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** `/link [code]`: without a code, issues one for this person; with a code, links this chat. */
export async function onLink(ctx: FlowContext, args: string): Promise<void> {
  if (args.trim()) {
    const code = normaliseLinkCode(args);
    if (!code) return void await ctx.reply((t) => ({ text: t.channel.linkInvalid('unknown') }));
    return linkWithCode(ctx, code);
  }
  const person = ctx.actor.person;
  if (!person) return void await ctx.reply((t) => ({ text: t.channel.linkNeedsPerson }));
  const code = newCode();
  const expiresAt = new Date(ctx.now.getTime() + LINK_CODE_MINUTES * 60_000).toISOString();
  await insertLinkCode(ctx.db, { code, personId: person.id, identityId: ctx.actor.identity.id, purpose: 'link', expiresAt, nowIso: ctx.nowIso });
  await ctx.effects.audit('identity.link_code', 'person', person.id, null, { identity_id: ctx.actor.identity.id, expires_at: expiresAt });
  await ctx.reply((t) => ({ text: t.channel.linkCode(`${code.slice(0, 4)}-${code.slice(4)}`, LINK_CODE_MINUTES) }));
}

/**
 * A code typed as plain text by a chat that belongs to nobody (Zalo has no `/start` deep links).
 * True when the text was a valid link code and was used.
 */
export async function tryLinkCodeText(ctx: FlowContext, text: string): Promise<boolean> {
  const code = normaliseLinkCode(text);
  if (!code || ctx.actor.person) return false;
  const row = await ctx.db.selectFrom('link_codes').select('code').where('code', '=', code).where('purpose', '=', 'link').executeTakeFirst();
  if (!row) return false;
  await linkWithCode(ctx, code);
  return true;
}

async function linkWithCode(ctx: FlowContext, code: string): Promise<void> {
  const identity = ctx.actor.identity;
  const pending = await ctx.db.selectFrom('link_codes').selectAll().where('code', '=', code).where('purpose', '=', 'link').executeTakeFirst();
  if (pending && identity.person_id === pending.person_id) return void await ctx.reply((t) => ({ text: t.channel.linkAlreadyYours }));
  if (pending && identity.person_id !== null) return void await ctx.reply((t) => ({ text: t.channel.linkOtherPerson }));
  const used = await consumeLinkCode(ctx.db, code, 'link', ctx.nowIso);
  if (!used) {
    const state = await linkCodeState(ctx.db, code, 'link', ctx.nowIso);
    return void await ctx.reply((t) => ({ text: t.channel.linkInvalid(state) }));
  }
  const person = await findPerson(ctx.db, used.person_id);
  if (!person) return void await ctx.reply((t) => ({ text: t.channel.linkInvalid('unknown') }));
  await linkIdentity(ctx.db, identity.id, person.id, ctx.nowIso);
  if (!identity.locale && person.locale) await setIdentityLocale(ctx.db, identity.id, person.locale, ctx.nowIso);
  await setDialog(ctx.db, identity.id, null, ctx.nowIso);
  // The chat that asked for the code stays where notifications go unless the person chose before.
  const chosen = await ctx.db.selectFrom('identities').select('id').where('person_id', '=', person.id).where('preferred', '=', 1).executeTakeFirst();
  if (!chosen) await setPreferredIdentity(ctx.db, person.id, used.identity_id, ctx.nowIso);
  await ctx.effects.audit('identity.link_code_used', 'identity', identity.id, { person_id: null }, { person_id: person.id, from_identity_id: used.identity_id });
  const linked = { ...identity, person_id: person.id, locale: identity.locale ?? person.locale };
  const preferred = await preferredIdentity(ctx.db, person.id);
  const target = preferred?.platform ?? identity.platform;
  await ctx.effects.sendTo(linked, (t) => ({ text: t.channel.linkDone(identity.platform, target) }));
  const issuer = await ctx.db.selectFrom('identities').selectAll().where('id', '=', used.identity_id).executeTakeFirst();
  if (issuer) await ctx.effects.sendTo(issuer, (t) => ({ text: t.channel.linkDone(identity.platform, target) }));
  await redeliverUndelivered(ctx, person.id, linked);
}

/** `/prefer`: notifications go to this chat from now on. */
export async function onPrefer(ctx: FlowContext): Promise<void> {
  const person = ctx.actor.person;
  if (!person) return void await ctx.reply((t) => ({ text: t.channel.preferNeedsPerson }));
  await setPreferredIdentity(ctx.db, person.id, ctx.actor.identity.id, ctx.nowIso);
  await ctx.effects.audit('identity.prefer', 'identity', ctx.actor.identity.id, null, { person_id: person.id });
  await ctx.reply((t) => ({ text: t.channel.preferSet(ctx.actor.identity.platform) }));
}
