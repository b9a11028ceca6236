import type { Platform } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import { findChatLocales, findChatsLocales, setIdentityLocale } from '../../db/repositories/identities.js';
import { setPersonLocale } from '../../db/repositories/persons.js';
import { copyFor } from '../copy/index.js';
import type { FlowContext } from '../context.js';

/**
 * Records the actor's language: on the person (every channel they use follows), or on the chat
 * alone before they are registered. Returns the identity as it now reads.
 */
export async function chooseLanguage(ctx: FlowContext, locale: 'vi' | 'en'): Promise<FlowContext['actor']['identity']> {
  if (ctx.actor.person) await setPersonLocale(ctx.db, ctx.actor.person.id, locale, ctx.nowIso);
  else await setIdentityLocale(ctx.db, ctx.actor.identity.id, locale, ctx.nowIso);
  return { ...ctx.actor.identity, locale };
}

/**
 * The language the bot speaks in chat `platformUserId`: the person's setting, else the chat's own
 * (before registration), else `defaultLocale` — the same choice every reply makes
 * (`flows/handle.ts`), so a page shown in it agrees with the bot.
 */
export async function languageOfChat(db: Db, platform: Platform, platformUserId: string, defaultLocale: 'vi' | 'en'): Promise<'vi' | 'en'> {
  return spokenIn(await findChatLocales(db, platform, platformUserId), defaultLocale);
}

/** {@link languageOfChat} for many chats in one query (the web page's streams, every poll); unknown chats are left out. */
export async function languagesOfChats(db: Db, platform: Platform, platformUserIds: readonly string[], defaultLocale: 'vi' | 'en'): Promise<Map<string, 'vi' | 'en'>> {
  const found = await findChatsLocales(db, platform, platformUserIds);
  return new Map([...found].map(([id, locales]) => [id, spokenIn(locales, defaultLocale)]));
}

const spokenIn = (locales: { person: string | null; chat: string | null } | undefined, defaultLocale: 'vi' | 'en') =>
  copyFor(locales?.person ?? locales?.chat ?? defaultLocale, defaultLocale).locale;
