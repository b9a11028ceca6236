import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';
import { insertAudit } from '../db/repositories/audit.js';
import {
  findChatIdentitiesOf, findPersonByCode, findPersonsByPhone, findWebIdentityOf, findWebLoginCode, insertWebIdentity, insertWebLoginCode,
  useWebLoginCode,
} from '../db/repositories/web.js';
import type { Identity, Person } from '../db/schema.js';
import type { FlowContext } from './context.js';
import { createEffects } from './effects.js';

/** How long a web sign-in code is valid, in ms (10 minutes). */
export const WEB_LOGIN_CODE_TTL_MS = 10 * 60_000;

/** Code alphabet: no 0/O or 1/I, so a code read aloud or off a phone is typed right. 32 letters: 5 bits each. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;

/** What redeeming a sign-in code gave (the web adapter's `CodeRedemption`). */
export type WebLoginRedemption = { status: 'ok'; ownerId: string } | { status: 'used' | 'expired' | 'unknown' };

/** A fresh code, `ABCD-EFGH` (40 random bits; sign-in attempts are rate-limited per address). */
export function newWebLoginCode(): string {
  const chars = [...randomBytes(CODE_LENGTH)].map((b) => ALPHABET[b & 31]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** The canonical form of a typed code (case, dashes and spaces ignored), or undefined when it cannot be one. */
export function normaliseWebLoginCode(input: string): string | undefined {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return code.length === CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : undefined;
}

/** Codes are stored only as this hash: the table never holds a usable code. */
const hashCode = (canonical: string) => createHash('sha256').update(`web_login\u0000${canonical}`).digest('hex');

/** Stores a new code for the person; returns the code to show. */
async function issueCode(db: Db, personId: number, identityId: number, now: Date): Promise<string> {
  const code = newWebLoginCode();
  const expires = new Date(now.getTime() + WEB_LOGIN_CODE_TTL_MS).toISOString();
  await insertWebLoginCode(db, hashCode(normaliseWebLoginCode(code)!), personId, identityId, now.toISOString(), expires);
  return code;
}

/** `/web` in any chat: a one-time sign-in link and code for the web page, to this chat only. */
export async function onWebCommand(ctx: FlowContext): Promise<void> {
  const person = ctx.actor.person;
  if (!person) return void await ctx.reply((t) => ({ text: t.notRegistered }));
  const code = await issueCode(ctx.db, person.id, ctx.actor.identity.id, ctx.now);
  await ctx.effects.audit('web.login_code', 'person', person.id, null, { identity_id: ctx.actor.identity.id });
  const link = ctx.settings.webSignInUrl?.(code);
  await ctx.reply((t) => ({ text: t.web.loginCode(link, code, WEB_LOGIN_CODE_TTL_MS / 60_000) }));
}

/**
 * Redeems a code typed on (or linked to) the web page, once: the person's most recent web identity
 * signs in again (same chat, same history), or a new web identity linked to them is made.
 * Run it in a transaction.
 */
export async function redeemWebLoginCode(db: Db, input: string, now: Date): Promise<WebLoginRedemption> {
  const canonical = normaliseWebLoginCode(input);
  if (!canonical) return { status: 'unknown' };
  const row = await findWebLoginCode(db, hashCode(canonical));
  if (!row) return { status: 'unknown' };
  const nowIso = now.toISOString();
  if (row.used_at !== null) return { status: 'used' };
  if (row.expires_at <= nowIso) return { status: 'expired' };
  if (!(await useWebLoginCode(db, row.code, nowIso))) return { status: 'used' };
  const identity = await webIdentityFor(db, row.person_id, nowIso);
  await insertAudit(db, {
    at: nowIso, actorPersonId: row.person_id, actorIdentityId: identity.id, action: 'web.sign_in_code', entity: 'identity', entityId: identity.id,
  });
  return { status: 'ok', ownerId: identity.platform_user_id };
}

async function webIdentityFor(db: Db, personId: number, nowIso: string): Promise<Identity> {
  const existing = await findWebIdentityOf(db, personId);
  if (existing) return existing;
  const person = await db.selectFrom('persons').select('locale').where('id', '=', personId).executeTakeFirst();
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
  await effects.sendTo(identity, (t) => ({ text: t.web.loginCode(link, code, WEB_LOGIN_CODE_TTL_MS / 60_000) }), { reportUnreachable: false });
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
