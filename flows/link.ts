import { findPerson, preferredIdentity } from '../db/repositories/directory.js';
import { findIdentity, hasPreferredIdentity, linkIdentity, setDialog, setIdentityLocale, setPreferredIdentity } from '../db/repositories/identities.js';
import { findLinkCode, insertLinkCode, linkCodeState, useLinkCode } from '../db/repositories/link-codes.js';
import type { LinkCode } from '../db/schema.js';
import type { FlowContext } from './context.js';
import { formatOneTimeCode, hashOneTimeCode, newOneTimeCode, normaliseOneTimeCode, ONE_TIME_CODE_TTL_MS } from './one-time-code.js';
import { forgetTypedCode, mayTryCodeOrSay, recordFailedCode } from './code-attempts.js';
import { eraseRevealedCode } from '../db/repositories/web.js';
import { redeliverUndelivered } from './registration/index.js';

/** How long a link code works, in minutes (issue 4). */
export const LINK_CODE_MINUTES = ONE_TIME_CODE_TTL_MS / 60_000;

/** The stored code a typed text stands for, if it has the shape of one. */
async function lookUp(ctx: FlowContext, text: string): Promise<Found | undefined> {
  const canonical = normaliseOneTimeCode(text);
  if (!canonical) return undefined;
  const hash = hashOneTimeCode('link', canonical);
  return { hash, shown: formatOneTimeCode(canonical), row: await findLinkCode(ctx.db, hash, 'link') };
}

interface Found { hash: string; shown: string; row: LinkCode | undefined }

/** `/link [code]`: without a code, issues one for this person; with a code, links this chat. */
export async function onLink(ctx: FlowContext, args: string): Promise<void> {
  if (args.trim()) {
    await forgetTypedCode(ctx, args);
    if (!(await mayTryCodeOrSay(ctx))) return;
    const found = await lookUp(ctx, args);
    if (found) return linkWithCode(ctx, found);
    await recordFailedCode(ctx, 'link');
    return void await ctx.reply((t) => ({ text: t.channel.linkInvalid('unknown') }));
  }
  const person = ctx.actor.person;
  if (!person) return void await ctx.reply((t) => ({ text: t.channel.linkNeedsPerson }));
  const code = newOneTimeCode();
  const expiresAt = new Date(ctx.now.getTime() + ONE_TIME_CODE_TTL_MS).toISOString();
  await insertLinkCode(ctx.db, {
    codeHash: hashOneTimeCode('link', normaliseOneTimeCode(code)!), personId: person.id, identityId: ctx.actor.identity.id,
    purpose: 'link', expiresAt, nowIso: ctx.nowIso, supersede: true,
  });
  await ctx.effects.audit('identity.link_code', 'person', person.id, null, { identity_id: ctx.actor.identity.id, expires_at: expiresAt });
  await ctx.reply((t) => ({ text: t.channel.linkCode(code, LINK_CODE_MINUTES), secrets: [code] }));
}

/**
 * A code typed as plain text by a chat that belongs to nobody (Zalo has no `/start` deep links).
 * True when the text was a link code and was handled.
 */
export async function tryLinkCodeText(ctx: FlowContext, text: string): Promise<boolean> {
  if (ctx.actor.person) return false;
  const found = await lookUp(ctx, text);
  if (!found?.row) return false;
  await forgetTypedCode(ctx, text);
  await linkWithCode(ctx, found);
  return true;
}

async function linkWithCode(ctx: FlowContext, { hash, shown, row }: Found): Promise<void> {
  const identity = ctx.actor.identity;
  if (row && identity.person_id === row.person_id) return void await ctx.reply((t) => ({ text: t.channel.linkAlreadyYours }));
  // A chat of someone else's never learns whether a code exists: the answer is the same.
  if (identity.person_id !== null) {
    if (linkCodeState(row, ctx.nowIso) !== 'ok') await recordFailedCode(ctx, 'link');
    return void await ctx.reply((t) => ({ text: t.channel.linkOtherPerson }));
  }
  const state = linkCodeState(row, ctx.nowIso);
  if (!row || state !== 'ok' || !(await useLinkCode(ctx.db, hash, 'link', ctx.nowIso))) {
    await recordFailedCode(ctx, 'link');
    return void await ctx.reply((t) => ({ text: t.channel.linkInvalid(state === 'ok' ? 'used' : state) }));
  }
  await eraseRevealedCode(ctx.db, shown);
  const person = await findPerson(ctx.db, row.person_id);
  if (!person) return void await ctx.reply((t) => ({ text: t.channel.linkInvalid('unknown') }));
  await linkIdentity(ctx.db, identity.id, person.id, ctx.nowIso);
  if (!identity.locale && person.locale) await setIdentityLocale(ctx.db, identity.id, person.locale, ctx.nowIso);
  await setDialog(ctx.db, identity.id, null, ctx.nowIso);
  // The chat that asked for the code stays where notifications go unless the person chose before.
  if (!(await hasPreferredIdentity(ctx.db, person.id))) await setPreferredIdentity(ctx.db, person.id, row.identity_id, ctx.nowIso);
  await ctx.effects.audit('identity.link_code_used', 'identity', identity.id, { person_id: null }, { person_id: person.id, from_identity_id: row.identity_id });
  const linked = { ...identity, person_id: person.id, locale: identity.locale ?? person.locale };
  const target = (await preferredIdentity(ctx.db, person.id))?.platform ?? identity.platform;
  await ctx.effects.sendTo(linked, (t) => ({ text: t.channel.linkDone(identity.platform, target) }));
  const issuer = await findIdentity(ctx.db, row.identity_id);
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
