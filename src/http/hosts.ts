import { isIP } from 'node:net';

/**
 * Which `Host` headers the server answers (DNS rebinding: a page on the attacker's name that
 * resolves to this machine reaches the bot with the attacker's name in `Host`). IP addresses and
 * `localhost` are always accepted (a rebinding attack needs a name of the attacker's); other names
 * only when configured (`HTTP_ALLOWED_HOSTS`, default PUBLIC_URL's host).
 */
export function createHostPolicy(names: readonly string[]): (hostHeader: string | undefined) => boolean {
  const allowed = new Set(['localhost', ...names.map((n) => n.toLowerCase())]);
  return (hostHeader) => {
    const host = hostName(hostHeader);
    return host !== undefined && (allowed.has(host) || isIP(host) !== 0);
  };
}

/** The name part of a `Host` header (`[::1]:8080` → `::1`, `Bot.Example.VN.:443` → `bot.example.vn`). */
export function hostName(hostHeader: string | undefined): string | undefined {
  const value = (hostHeader ?? '').trim().toLowerCase();
  if (value === '') return undefined;
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed) return bracketed[1];
  const named = /^([a-z0-9.-]+?)\.?(?::\d{1,5})?$/.exec(value);
  return named?.[1];
}

/** The refusal of a request for a host this server does not serve (421 Misdirected Request). */
export const MISDIRECTED = { status: 421, body: { error: 'unknown_host', message_vi: 'Máy chủ không phục vụ tên miền này.', message_en: 'This server does not serve that host name.' } } as const;
