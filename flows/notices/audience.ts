import type { Db } from '../../db/client.js';
import type { Identity, IsoDate, NoticeAudience } from '../../db/schema.js';
import { listOrgOutline, listRoleContacts } from '../../db/repositories/directory.js';
import { listIdentitiesOfPersons } from '../../db/repositories/identities.js';
import type { NewRecipient } from '../../db/repositories/notices.js';

/** Persons per `IN (…)` list. */
const IN_CHUNK = 500;

/**
 * Parses an audience: `all`, `org:HUE,P-KIMLONG` (organisation codes, each with its subtree),
 * `tag:y-te,giao-duc`, or `org:…;tag:…` (a contact must match both). Undefined when malformed.
 */
export function parseAudience(text: string): NoticeAudience | undefined {
  const parts = text.trim().split(/\s*;\s*|\s+(?=(?:org|tag|all)\b)/i).filter((p) => p !== '');
  if (parts.length === 0) return undefined;
  const audience: NoticeAudience = {};
  for (const part of parts) {
    if (/^(all|tất cả|tat ca)$/i.test(part)) { audience.all = true; continue; }
    const m = /^(org|tag):\s*(.+)$/i.exec(part);
    if (!m) return undefined;
    const values = m[2]!.split(/[\s,]+/).map((v) => v.trim()).filter((v) => v !== '');
    if (values.length === 0 || values.some((v) => !/^[\p{L}\p{N}_.-]{1,60}$/u.test(v))) return undefined;
    if (m[1]!.toLowerCase() === 'org') audience.orgCodes = [...new Set([...(audience.orgCodes ?? []), ...values.map((v) => v.toUpperCase())])];
    else audience.tags = [...new Set([...(audience.tags ?? []), ...values])];
  }
  if (audience.all && (audience.orgCodes || audience.tags)) delete audience.all;
  return audience;
}

/** `all` / `org:A,B;tag:x` (the form {@link parseAudience} reads). */
export function formatAudience(a: NoticeAudience): string {
  const parts = [...(a.orgCodes?.length ? [`org:${a.orgCodes.join(',')}`] : []), ...(a.tags?.length ? [`tag:${a.tags.join(',')}`] : [])];
  return parts.length > 0 ? parts.join(';') : 'all';
}

/** Who an audience reaches. */
export interface ResolvedAudience {
  recipients: NewRecipient[];
  /** Organisation codes given that name no organisation. */
  unknownOrgCodes: string[];
  /** Organisation codes outside the sender's scope. */
  outOfScope: string[];
}

interface OrgNode { id: number; code: string; parent_id: number | null }

/** The ids of `roots` and every organisation below them. */
export function subtreeIds(orgs: ReadonlyArray<Pick<OrgNode, 'id' | 'parent_id'>>, roots: readonly number[]): Set<number> {
  const children = new Map<number, number[]>();
  for (const o of orgs) if (o.parent_id !== null) children.set(o.parent_id, [...(children.get(o.parent_id) ?? []), o.id]);
  const out = new Set<number>();
  const stack = [...roots];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

/**
 * The contacts an audience reaches today, one row each, with the chat each is reached on.
 * `scopeOrgIds`: the sender's organisations (subtrees); null for an unscoped sender (everyone).
 */
export async function resolveAudience(db: Db, audience: NoticeAudience, scopeOrgIds: readonly number[] | null, today: IsoDate): Promise<ResolvedAudience> {
  const orgs = await listOrgOutline(db);
  const byCode = new Map(orgs.map((o) => [o.code.toUpperCase(), o.id]));
  const codes = audience.orgCodes ?? [];
  const unknownOrgCodes = codes.filter((c) => !byCode.has(c.toUpperCase()));
  const scope = scopeOrgIds === null ? undefined : subtreeIds(orgs, scopeOrgIds);
  const outOfScope = scope ? codes.filter((c) => byCode.has(c.toUpperCase()) && !scope.has(byCode.get(c.toUpperCase())!)) : [];
  const wanted = codes.length > 0 ? subtreeIds(orgs, codes.flatMap((c) => byCode.get(c.toUpperCase()) ?? [])) : undefined;
  const tags = audience.tags ?? [];

  const contacts = await listRoleContacts(db, audience.role ?? 'contact', today);
  const chosen = new Map<number, number | null>();
  for (const c of contacts) {
    if (chosen.has(c.person_id)) continue;
    if (scope && (c.org_id === null || !scope.has(c.org_id))) continue;
    if (wanted && (c.org_id === null || !wanted.has(c.org_id))) continue;
    if (tags.length > 0 && !parseTags(c.tags).some((t) => tags.includes(t))) continue;
    chosen.set(c.person_id, c.org_id);
  }
  const identities = await identitiesOf(db, [...chosen.keys()]);
  const recipients: NewRecipient[] = [...chosen].map(([personId, orgId]) => {
    const identity = identities.get(personId);
    if (!identity) return { personId, orgId, identityId: null, platform: null, chatId: null, status: 'not_joined' };
    return {
      personId, orgId, identityId: identity.id, platform: identity.platform, chatId: identity.chat_id,
      status: identity.unreachable_at ? 'unreachable' : 'pending',
    };
  });
  return { recipients, unknownOrgCodes, outOfScope };
}

/** A contact's tags (stored as a JSON array); none when malformed. */
export function parseTags(json: string | null): string[] {
  if (!json) return [];
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/** Each person's chat for notices: the one they chose, else a reachable one, the latest used first. */
async function identitiesOf(db: Db, personIds: readonly number[]): Promise<Map<number, Identity>> {
  const best = new Map<number, Identity>();
  const score = (i: Identity) => Number(i.preferred) * 1e16 + (i.unreachable_at ? 0 : 1e15) + (i.platform === 'web' ? 0 : 1e14)
    + (i.last_inbound_at ? Date.parse(i.last_inbound_at) / 1000 : 0);
  for (const row of await listIdentitiesOfPersons(db, personIds, IN_CHUNK)) {
    const current = best.get(row.person_id!);
    if (!current || score(row) > score(current)) best.set(row.person_id!, row);
  }
  return best;
}
