import { PostgresAdapter, sql } from 'kysely';
import type { Db } from '../client.js';
import type { Identity, IsoDate, IsoInstant, Person, RoleAssignment } from '../schema.js';
import { personWithRoles } from './directory.js';
import { markInboundDone } from './inbound.js';
import { touchIdentity, type SeenIdentity } from './identities.js';
import { releaseHeldInChat } from './outbox.js';
import { PREPARED } from '../pg-prepared.js';
import { compiledOnce } from '../compiled.js';

/**
 * What starting an inbound event's transaction did: nothing when the event was no longer pending
 * (another worker took it); else it is marked done, its sender's identity touched (as
 * `touchIdentity`) and read with its person and their roles in force on `today` (as
 * `personWithRoles`), and the chat's held interactive rows made pending again (ids, oldest first).
 */
export type InboundStart = { done: false } | { done: true; identity: Identity; person: Person | undefined; roles: RoleAssignment[]; released: number[] };

/**
 * Marks the event done, touches its sender's identity and releases the chat's held rows (the
 * person wrote, so a closed reply window is open again). PostgreSQL: ONE statement (the identity
 * and the release written only when the event was pending; person and roles as JSON); SQLite:
 * three or four in turn.
 */
export async function startInboundEvent(db: Db, e: { eventId: string; seen: SeenIdentity; nowIso: IsoInstant; today: IsoDate }): Promise<InboundStart> {
  const { seen, nowIso, today } = e;
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    if (!(await markInboundDone(db, seen.platform, e.eventId, nowIso))) return { done: false };
    const identity = await touchIdentity(db, seen, nowIso);
    const { person, roles } = identity.person_id ? await personWithRoles(db, identity.person_id, today) : { person: undefined, roles: [] };
    return { done: true, identity, person, roles, released: await releaseHeldInChat(db, 'outbox', seen.platform, seen.chatId) };
  }
  // As touchIdentity: a new identity takes the name as given, a known one only a non-empty name.
  const name = seen.displayName ?? null;
  const rename = seen.displayName ? seen.displayName : null;
  const { rows } = await startStatement(db, nowIso, seen.platform, e.eventId, seen.chatId, seen.platformUserId, name, rename, today);
  const [row] = rows;
  if (!row) return { done: false };
  const { released_ids: released, person_json: person, roles_json: roles, ...identity } = row;
  return { done: true, identity, person: person ?? undefined, roles, released: released.map(Number) };
}

const startStatement = compiledOnce((
  db: Db, nowIso: IsoInstant, platform: Identity['platform'], eventId: string, chatId: string, platformUserId: string, name: string | null, rename: string | null, today: IsoDate,
) => sql<Identity & { released_ids: number[]; person_json: Person | null; roles_json: RoleAssignment[] }>`
    with done as (
      update inbound_events set status = 'done', processed_at = ${nowIso}
      where platform = ${platform} and event_id = ${eventId} and status = 'pending' returning 1 as one
    ), released as (
      update outbox set status = 'pending', last_error = null, held_reason = null
      where status = 'held' and queue = 'outbox' and platform = ${platform} and chat_id = ${chatId} and exists (select 1 from done)
      returning id
    ), touched as (
      insert into identities (platform, platform_user_id, chat_id, person_id, display_name, locale, dialog, unreachable_at, unreachable_reason, last_inbound_at, created_at, updated_at)
      select ${platform}, ${platformUserId}, ${chatId}, null::integer, ${name}::text, null, null, null, null, ${nowIso}, ${nowIso}, ${nowIso}
      where exists (select 1 from done)
      on conflict (platform, platform_user_id) do update set chat_id = excluded.chat_id, last_inbound_at = excluded.last_inbound_at,
        unreachable_at = null, unreachable_reason = null, display_name = coalesce(${rename}::text, identities.display_name)
      returning *
    )
    select touched.*, array(select id from released order by id) as released_ids,
      (select row_to_json(p) from persons p where p.id = touched.person_id) as person_json,
      (select coalesce(json_agg(r order by r.id), '[]') from role_assignments r where r.person_id = touched.person_id
        and (r.valid_from is null or r.valid_from <= ${today}) and (r.valid_to is null or r.valid_to >= ${today})) as roles_json
    from touched${PREPARED}`);
