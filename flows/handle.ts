import type { InboundEvent } from '../adapters/types.js';
import type { Db } from '../db/client.js';
import type { OutboxRowChat } from '../db/repositories/outbox-claims.js';
import { personWithRoles } from '../db/repositories/directory.js';
import { touchIdentity, type SeenIdentity } from '../db/repositories/identities.js';
import type { Identity, Person, RoleAssignment } from '../db/schema.js';
import { copyFor } from './copy/index.js';
import { localDate } from './copy/format.js';
import type { FlowContext, FlowSettings } from './context.js';
import { createEffects, type NewDeadline, type SendSpec } from './effects.js';
import { routeEvent } from './router.js';

/** What a handled event asks of the infrastructure once its transaction committed. */
export interface FlowOutcome {
  /** Outbox rows to deliver. */
  outboxIds: number[];
  /** The chat of every row of `outboxIds`, when the transaction knows them all (the dispatcher then reads none). */
  outboxChats?: OutboxRowChat[];
  /** Inquiries whose deadline jobs must be re-planned. */
  deadlineIds: number[];
  /** Those of `deadlineIds` created by this event, planned from what its transaction knew (no read). */
  newDeadlines?: NewDeadline[];
  /** Notices confirmed: queue their deliveries. */
  noticeIds?: number[];
}

/** What the event tells about its sender (see `touchIdentity`). */
export function seenIdentity(event: InboundEvent): SeenIdentity {
  return { platform: event.platform, platformUserId: event.from.id, chatId: event.chatId, ...(event.from.name ? { displayName: event.from.name } : {}) };
}

/** Who sent an event: their identity (touched), and its person with their roles in force today. */
export interface Sender {
  identity: Identity;
  person: Person | undefined;
  roles: RoleAssignment[];
}

async function touchSender(db: Db, event: InboundEvent, nowIso: string, today: string): Promise<Sender> {
  const identity = await touchIdentity(db, seenIdentity(event), nowIso);
  const { person, roles } = identity.person_id ? await personWithRoles(db, identity.person_id, today) : { person: undefined, roles: [] };
  return { identity, person, roles };
}

/**
 * Handles one inbound event inside the caller's transaction: resolves who sent it, runs the
 * owning flow, and returns what to hand to the dispatcher and the scheduler after commit.
 */
export async function handleInboundEvent(db: Db, event: InboundEvent, now: Date, settings: FlowSettings, sender?: Sender): Promise<FlowOutcome> {
  const nowIso = now.toISOString();
  const today = localDate(now);
  const { identity, person, roles } = sender ?? await touchSender(db, event, nowIso, today);
  // The person's language is the one setting; a chat's own only stands in before registration.
  const locale = person?.locale ?? identity.locale ?? settings.defaultLocale;
  const t = copyFor(locale, settings.defaultLocale);
  const effects = createEffects(db, nowIso, settings.defaultLocale, { personId: person?.id ?? null, identityId: identity.id });
  const actorIdentity = { ...identity, locale };
  const replySpec = (spec: SendSpec | undefined): SendSpec | undefined => (event.answerTo === undefined ? spec : { ...spec, replyToMessageId: event.answerTo });
  const ctx: FlowContext = {
    db, now, nowIso, today, settings, event, effects,
    actor: { identity: actorIdentity, person, roles, t },
    reply: (build, spec) => effects.sendInLocale(actorIdentity, locale, build, replySpec(spec)),
    planReply: (build, spec) => ({ identity: actorIdentity, locale, build, spec: replySpec(spec) }),
  };
  await routeEvent(ctx);
  return { outboxIds: effects.outboxIds, outboxChats: effects.outboxChats, deadlineIds: effects.deadlineIds, newDeadlines: [...effects.newDeadlines.values()], noticeIds: effects.noticeIds };
}

