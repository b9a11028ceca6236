import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';
import { insertAudit } from '../db/repositories/audit.js';
import { findPerson, findPersonByInvite } from '../db/repositories/directory.js';
import {
  eraseRevealedCode, findChatIdentitiesOf, findPersonByCode, findPersonsByPhone, findWebIdentityOf, insertWebIdentity,
} from '../db/repositories/web.js';
import { findLinkCode, insertLinkCode, linkCodeState, useLinkCode } from '../db/repositories/link-codes.js';
import { formatOneTimeCode, hashOneTimeCode, newOneTimeCode, normaliseOneTimeCode, ONE_TIME_CODE_TTL_MS } from './one-time-code.js';
import type { Identity, Person } from '../db/schema.js';
import { hasStartLinks, type FlowContext } from './context.js';
import { createEffects } from './effects.js';

/** How long a web sign-in code is valid, in ms (10 minutes). */
export const WEB_LOGIN_CODE_TTL_MS = ONE_TIME_CODE_TTL_MS;

/** What redeeming a sign-in code gave (the web adapter's `CodeRedemption`). */
export type WebLoginRedemption = { status: 'ok'; ownerId: string } | { status: 'invite' | 'used' | 'expired' | 'unknown' };

/** Stores a new code for the person; returns the code to show. */
async function issueCode(db: Db, personId: number, identityId: number, now: Date): Promise<string> {
  const code = newOneTimeCode();
  const expiresAt = new Date(now.getTime() + WEB_LOGIN_CODE_TTL_MS).toISOString();
  await insertLinkCode(db, { codeHash: hashOneTimeCode('web_login', normaliseOneTimeCode(code)!), personId, identityId, purpose: 'web_login', expiresAt, nowIso: now.toISOString() });
  return code;
}

/** `/web` in any chat: a one-time sign-in link and code for the web page, to this chat only. */
export async function onWebCommand(ctx: FlowContext): Promise<void> {
  const person = ctx.actor.person;
  if (!person) return void await ctx.reply((t) => ({ text: t.notRegistered(hasStartLinks(ctx)) }));
  const code = await issueCode(ctx.db, person.id, ctx.actor.identity.id, ctx.now);
  await ctx.effects.audit('web.login_code', 'person', person.id, null, { identity_id: ctx.actor.identity.id });
  const link = ctx.settings.webSignInUrl?.(code);
  await ctx.reply((t) => ({ text: t.web.loginCode(link, code, WEB_LOGIN_CODE_TTL_MS / 60_000), secrets: [code] }));
}

/**
 * Says what a code typed on (or linked to) the web page is. A one-time sign-in code is used up
 * here: the person's most recent web identity signs in again (same chat, same history), or a new
 * web identity linked to them is made. Otherwise an invite not used yet is `invite` (the
 * registration flow binds it), a used one `used`; anything else `unknown`, and nobody signs in.
 * Run it in a transaction.
 */
export async function redeemWebLoginCode(db: Db, input: string, now: Date): Promise<WebLoginRedemption> {
  const canonical = normaliseOneTimeCode(input);
  const row = canonical ? await findLinkCode(db, hashOneTimeCode('web_login', canonical), 'web_login') : undefined;
  if (!row) return inviteState(db, input);
  const nowIso = now.toISOString();
  const state = linkCodeState(row, nowIso);
  if (state !== 'ok') return { status: state };
  if (!(await useLinkCode(db, row.code, 'web_login', nowIso))) return { status: 'used' };
  await eraseRevealedCode(db, formatOneTimeCode(canonical!));
  const identity = await webIdentityFor(db, row.person_id, nowIso);
  await insertAudit(db, {
    at: nowIso, actorPersonId: row.person_id, actorIdentityId: identity.id, action: 'web.sign_in_code', entity: 'identity', entityId: identity.id,
  });
  return { status: 'ok', ownerId: identity.platform_user_id };
}

async function inviteState(db: Db, input: string): Promise<WebLoginRedemption> {
  const person = /^[A-Za-z0-9_-]{1,64}$/.test(input) ? await findPersonByInvite(db, input) : undefined;
  if (!person) return { status: 'unknown' };
  return { status: person.invite_used_at === null ? 'invite' : 'used' };
}

async function webIdentityFor(db: Db, personId: number, nowIso: string): Promise<Identity> {
  const existing = await findWebIdentityOf(db, personId);
  if (existing) return existing;
  const person = await findPerson(db, personId);
  return insertWebIdentity(db, randomBytes(16).toString('hex'), personId, person?.locale ?? null, nowIso);
}

/**
 * For an operator (`liaison web link <person-code>`): a fresh one-time code for the person, so
 * someone who uses only the web can get back in. Undefined when no person has that directory code.
 * Run it in a transaction.
 */
export async function issueWebLoginCodeForPerson(db: Db, personCode: string, now: Date): Promise<{ code: string; fullName: string } | undefined> {
  const person = await findPersonByCode(db, personCode);
  if (!person) return undefined;
  const identity = await webIdentityFor(db, person.id, now.toISOString());
  const code = await issueCode(db, person.id, identity.id, now);
  await insertAudit(db, {
    at: now.toISOString(), actorPersonId: null, actorIdentityId: null, action: 'web.login_code_operator', entity: 'person', entityId: person.id,
  });
  return { code, fullName: person.full_name };
}

/** Settings of {@link sendWebLoginCodeToChat}. */
export interface SendCodeSettings {
  defaultLocale: 'vi' | 'en';
  /** The page's sign-in link for a code, when known. */
  webSignInUrl?: (code: string) => string | undefined;
}

/**
 * "Send me a code" on the sign-in page: when `who` is a directory code or a phone number of exactly
 * one person who has a linked Telegram/Zalo chat, a fresh code goes to that chat (as `/web` would
 * answer there). Whatever the outcome, the page shows the same neutral sentence, so nothing can be
 * learnt about who is in the directory. Run it in a transaction.
 * @returns the outbox rows to hand to the dispatcher after commit (empty when nothing was sent).
 */
export async function sendWebLoginCodeToChat(db: Db, who: string, now: Date, settings: SendCodeSettings): Promise<number[]> {
  const person = await personFor(db, who.trim());
  const identity = person ? (await findChatIdentitiesOf(db, person.id))[0] : undefined;
  if (!person || !identity) return [];
  const code = await issueCode(db, person.id, identity.id, now);
  const effects = createEffects(db, now.toISOString(), settings.defaultLocale, { personId: null, identityId: null });
  const link = settings.webSignInUrl?.(code);
  await effects.sendTo(identity, (t) => ({ text: t.web.loginCode(link, code, WEB_LOGIN_CODE_TTL_MS / 60_000), secrets: [code] }), { reportUnreachable: false });
  await effects.audit('web.login_code_requested', 'person', person.id, null, { identity_id: identity.id });
  return effects.outboxIds;
}

/** The one person with this directory code (any case) or phone number (`0…` and `+84…` alike). */
async function personFor(db: Db, who: string): Promise<Person | undefined> {
  if (/^[A-Za-z0-9_-]{1,64}$/.test(who) && /[A-Za-z]/.test(who)) return findPersonByCode(db, who);
  const compact = who.replace(/[\s.()-]/g, '');
  if (!/^\+?[0-9]{8,15}$/.test(compact)) return undefined;
  const national = compact.startsWith('+84') ? `0${compact.slice(3)}` : compact;
  const variants = [...new Set([compact, national, national.startsWith('0') ? `+84${national.slice(1)}` : national])];
  const people = await findPersonsByPhone(db, variants);
  return people.length === 1 ? people[0] : undefined;
}
