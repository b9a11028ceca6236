import { maskSecrets, type OutboundMessage } from '../adapters/types.js';
import { neutraliseBidi } from './copy/bidi.js';
import type { Db } from '../db/client.js';
import { insertAudit, type AuditInput } from '../db/repositories/audit.js';
import type { Reach } from '../db/repositories/agency-recipients.js';
import type { DeadlineInquiry } from '../db/repositories/deadlines.js';
import { findPerson, preferredIdentityWithLocale } from '../db/repositories/directory.js';
import { findIdentity } from '../db/repositories/identities.js';
import { insertOutboxRows, type OutboxRowWithPush } from '../db/repositories/outbox.js';
import type { OutboxRowChat } from '../db/repositories/outbox-claims.js';
import type { Identity, MessageRefKind, NewOutboxRow, OutboxQueue } from '../db/schema.js';
import { copyFor, type Copy } from './copy/index.js';
import { pushBeside, type PushSpec } from './push.js';

/** Links a sent message to an inquiry so that a reply to it can be routed. */
export interface MessageRefSpec {
  inquiryId: number;
  kind: MessageRefKind;
}

/** Options of one outbound message. */
export interface SendSpec {
  ref?: MessageRefSpec;
  /** Platform message id to reply to (thread under). */
  replyToMessageId?: string;
  /** 0: do not tell coordinators if this recipient is unreachable (avoids loops). Default 1. */
  reportUnreachable?: boolean;
  queue?: OutboxQueue;
  /** Stored files (`attachments.id`) sent after the text, one part each. */
  files?: readonly number[];
  /**
   * This message corrects the one outbox row `outboxId` delivered to the same chat: edited in
   * place to `text` where the platform allows, else the built message is sent replying to it.
   */
  edit?: { outboxId: number; text: (t: Copy) => string };
  /** Also notify the person by Web Push (a staff event: new inquiry, reminder, escalation, reply). */
  push?: PushSpec;
}

/**
 * An inquiry created in this transaction, its deadline fields as the transaction leaves them, and
 * the office hours (raw JSON, null: the default) of the organisation its deadline counts in
 * (`org_id ?? suggested_org_id`). A new inquiry has no job and has fired no step yet, so its first
 * job is planned from this after commit without reading the database again.
 */
export interface NewDeadline {
  inquiry: DeadlineInquiry;
  officeHoursJson: string | null;
}

/**
 * The side effects of a flow, written into the flow's own transaction: outbox rows and audit
 * events. Nothing is sent from here; the dispatcher delivers committed rows.
 */
export interface Effects {
  /** Ids of the outbox rows written so far, for the dispatcher once the transaction commits. */
  readonly outboxIds: number[];
  /** The chat of each row of `outboxIds`, in the same order (the dispatcher then reads nothing to wake them). */
  readonly outboxChats: OutboxRowChat[];
  /** Inquiries whose deadline jobs must be brought in line with the database after commit. */
  readonly deadlineIds: number[];
  /** The inquiries of `deadlineIds` created in this transaction whose first job is planned from what it knows. */
  readonly newDeadlines: ReadonlyMap<number, NewDeadline>;
  /**
   * Asks for the inquiry's reminder and escalation jobs to be re-planned after commit; `created`
   * when the inquiry was created in this transaction (its plan then needs no read). A later call
   * without it (the deadline changed again) plans from the database as usual.
   */
  syncDeadline(inquiryId: number, created?: NewDeadline): void;
  /** Notices confirmed in this transaction, whose deliveries start after commit. */
  readonly noticeIds: number[];
  /** Asks for the notice's delivery jobs to be queued after commit. */
  startNotice(noticeId: number): void;
  /** Queues a message to one identity, in that identity's language. */
  sendTo(identity: Identity, build: (t: Copy) => OutboundMessage, spec?: SendSpec): Promise<number>;
  /** Queues a message to one identity in `locale`, already known (the actor's own language): nothing read. */
  sendInLocale(identity: Identity, locale: string, build: (t: Copy) => OutboundMessage, spec?: SendSpec): Promise<number>;
  /** Queues several messages, written together (PostgreSQL: one statement) and taking ids in this order; their ids, in order. */
  sendEach(sends: readonly PlannedSend[]): Promise<number[]>;
  /** What {@link notifyReached} would send, for {@link sendEach}; undefined when the person has no identity. */
  planReached(reach: Reach | undefined, build: (t: Copy) => OutboundMessage, spec?: SendSpec): PlannedSend | undefined;
  /** What {@link notifyPerson} would send (their preferred identity read), for {@link sendEach}; undefined when they have none. */
  planPerson(personId: number, build: (t: Copy) => OutboundMessage, spec?: SendSpec): Promise<PlannedSend | undefined>;
  /** Queues a message to a person on their preferred identity; undefined when they have none. */
  notifyPerson(personId: number, build: (t: Copy) => OutboundMessage, spec?: SendSpec): Promise<number | undefined>;
  /** {@link notifyPerson} where the person's preferred identity and language were read already (undefined: they have none). */
  notifyReached(reach: Reach | undefined, build: (t: Copy) => OutboundMessage, spec?: SendSpec): Promise<number | undefined>;
  audit(action: string, entity: string, entityId: string | number, before?: unknown, after?: unknown): Promise<void>;
  /** The record {@link audit} would write (this transaction's actor and time), for a repository that writes it with other rows. */
  auditRecord(action: string, entity: string, entityId: string | number, before?: unknown, after?: unknown): AuditInput;
}

/** One message to one identity in `locale`, built in that language when it is written (see {@link Effects.sendEach}). */
export interface PlannedSend {
  identity: Identity;
  locale: string;
  build: (t: Copy) => OutboundMessage;
  spec?: SendSpec;
}

/** Who caused the effects, for the audit trail. */
export interface EffectsActor {
  personId: number | null;
  identityId: number | null;
}

/** Creates the effects writer for one transaction. */
export function createEffects(db: Db, nowIso: string, defaultLocale: 'vi' | 'en', actor: EffectsActor): Effects {
  const outboxIds: number[] = [];
  const outboxChats: OutboxRowChat[] = [];
  const deadlineIds: number[] = [];
  const newDeadlines = new Map<number, NewDeadline>();
  const noticeIds: number[] = [];
  const localeOf = async (identity: Identity): Promise<string> => {
    const person = identity.person_id ? await findPerson(db, identity.person_id) : undefined;
    return person?.locale ?? identity.locale ?? defaultLocale;
  };
  const sendTo: Effects['sendTo'] = async (identity, build, spec = {}) => send({ identity, locale: await localeOf(identity), build, spec });
  /** The outbox row (and push event) of one message, not written yet. */
  const prepare = async ({ identity, locale, build, spec = {} }: PlannedSend): Promise<OutboxRowWithPush> => {
    const t = copyFor(locale, defaultLocale);
    const message = build(t);
    const text = neutraliseBidi(message.text);
    const secrets = message.secrets?.filter((s) => text.includes(s)) ?? [];
    const push = spec.push ? await pushBeside(db, identity, text, locale, spec.push, spec.ref?.inquiryId, nowIso) : undefined;
    const row: NewOutboxRow = {
      queue: spec.queue ?? 'outbox', identity_id: identity.id, platform: identity.platform, chat_id: identity.chat_id,
      text, masked_text: secrets.length > 0 ? maskSecrets(text, secrets) : null, secrets: secrets.length > 0 ? JSON.stringify(secrets) : null, buttons: message.buttons ? JSON.stringify(message.buttons.map((row) => row.map((b) => ({ ...b, label: neutraliseBidi(b.label) })))) : null,
      reply_to_message_id: spec.replyToMessageId ?? message.replyTo ?? null, reply_to_outbox_id: spec.edit?.outboxId ?? null,
      edit_of_outbox_id: spec.edit?.outboxId ?? null, edit_text: spec.edit ? neutraliseBidi(spec.edit.text(t)) : null,
      inquiry_id: spec.ref?.inquiryId ?? null, ref_kind: spec.ref?.kind ?? null,
      ref_person_id: identity.person_id, report_unreachable: spec.reportUnreachable === false ? 0 : 1,
      status: 'pending', attempts: 0, parts_sent: 0, sent_message_id: null, sent_message_ids: null,
      last_error: null, created_at: nowIso, sent_at: null,
      attachments: spec.files?.length ? JSON.stringify(spec.files) : null,
    };
    return { row, push };
  };
  const written = (id: number, row: NewOutboxRow): number => {
    outboxIds.push(id);
    outboxChats.push({ id, queue: row.queue, platform: row.platform, chatId: row.chat_id });
    return id;
  };
  const sendEach: Effects['sendEach'] = async (sends) => {
    const prepared: OutboxRowWithPush[] = [];
    for (const planned of sends) prepared.push(await prepare(planned));
    const ids = await insertOutboxRows(db, prepared);
    return ids.map((id, i) => written(id, prepared[i]!.row));
  };
  const send = async (planned: PlannedSend): Promise<number> => (await sendEach([planned]))[0]!;
  const auditRecord: Effects['auditRecord'] = (action, entity, entityId, before, after) => ({
    at: nowIso, actorPersonId: actor.personId, actorIdentityId: actor.identityId, action, entity, entityId, before, after,
  });
  const planReached: Effects['planReached'] = (reach, build, spec = {}) =>
    reach ? { identity: reach.identity, locale: reach.personLocale ?? reach.identity.locale ?? defaultLocale, build, spec } : undefined;
  const notifyReached = async (reach: Reach | undefined, build: (t: Copy) => OutboundMessage, spec: SendSpec): Promise<number | undefined> => {
    const planned = planReached(reach, build, spec);
    return planned ? send(planned) : undefined;
  };
  return {
    outboxIds,
    outboxChats,
    deadlineIds,
    newDeadlines,
    syncDeadline: (inquiryId, created) => {
      if (!deadlineIds.includes(inquiryId)) deadlineIds.push(inquiryId);
      if (created) newDeadlines.set(inquiryId, created);
      else newDeadlines.delete(inquiryId);
    },
    noticeIds,
    startNotice: (noticeId) => {
      if (!noticeIds.includes(noticeId)) noticeIds.push(noticeId);
    },
    sendTo,
    sendInLocale: (identity, locale, build, spec = {}) => send({ identity, locale, build, spec }),
    sendEach,
    planReached,
    planPerson: async (personId, build, spec = {}) => planReached(await preferredIdentityWithLocale(db, personId), build, spec),
    notifyPerson: async (personId, build, spec = {}) => notifyReached(await preferredIdentityWithLocale(db, personId), build, spec),
    notifyReached: (reach, build, spec = {}) => notifyReached(reach, build, spec),
    audit: (action, entity, entityId, before, after) => insertAudit(db, auditRecord(action, entity, entityId, before, after)),
    auditRecord,
  };
}

/** Loads an identity by id (for messages to a specific chat, e.g. the reporter's thread). */
export async function identityById(db: Db, id: number): Promise<Identity | undefined> {
  return findIdentity(db, id);
}

/** The copy in an identity's language (its person's, else the chat's own before registration, else `defaultLocale`). */
export async function copyForIdentity(db: Db, identityId: number, defaultLocale: 'vi' | 'en'): Promise<Copy> {
  const identity = await findIdentity(db, identityId);
  const person = identity?.person_id ? await findPerson(db, identity.person_id) : undefined;
  return copyFor(person?.locale ?? identity?.locale ?? defaultLocale, defaultLocale);
}
