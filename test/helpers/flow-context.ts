import type { Db } from '../../db/client.js';
import { findPerson, rolesOf } from '../../db/repositories/directory.js';
import { findIdentity } from '../../db/repositories/identities.js';
import type { FlowContext, FlowSettings } from '../../flows/context.js';
import { copyFor } from '../../flows/copy/index.js';
import { localDate } from '../../flows/copy/format.js';
import { createEffects } from '../../flows/effects.js';
import { loadCalendar } from '../../src/import/calendar.js';
import { createDeadlinePolicy } from '../../src/time/deadline-policy.js';

/** The flow settings tests use: the real deadline policy over the database's calendar. */
export function testFlowSettings(db: Db): FlowSettings {
  return { maxTextChars: 4000, defaultLocale: 'vi', deadlines: createDeadlinePolicy({ db, loadCalendar: (via) => loadCalendar(via) }) };
}

/** A flow context bound to `db` (normally a transaction) and what its handler replied. */
export interface TestFlowContext {
  ctx: FlowContext;
  /** Texts the handler sent to the actor's own chat, in Vietnamese. */
  replies: string[];
}

/**
 * Builds the context a flow handler gets, for identity `identityId` acting at `now`, the way
 * `handleInboundEvent` does (roles in force today, copy in the person's language, effects
 * written into `db`), but with the actor's replies captured instead of queued.
 */
export async function testFlowContext(db: Db, identityId: number, now: Date, settings: FlowSettings): Promise<TestFlowContext> {
  const identity = await findIdentity(db, identityId);
  if (!identity) throw new Error(`no identity ${identityId}`);
  const today = localDate(now);
  const person = identity.person_id ? await findPerson(db, identity.person_id) : undefined;
  const roles = person ? await rolesOf(db, person.id, today) : [];
  const t = copyFor('vi');
  const replies: string[] = [];
  const nowIso = now.toISOString();
  const effects = createEffects(db, nowIso, 'vi', { personId: person?.id ?? null, identityId });
  const ctx: FlowContext = {
    db, now, nowIso, today, settings, effects,
    event: { kind: 'command', platform: identity.platform, eventId: `test-${nowIso}`, from: { id: identity.platform_user_id }, chatId: identity.chat_id, at: now, raw: null, messageId: '1', command: 'test', args: '' },
    actor: { identity, person, roles, t },
    reply: async (build) => { replies.push(build(t).text); return 0; },
    planReply: (build, spec) => ({ identity, locale: 'vi', build, ...(spec ? { spec } : {}) }),
  };
  return { ctx, replies };
}
