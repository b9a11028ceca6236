import type { AdapterCapabilities, InboundEvent, OutboundMessage, Platform } from '../adapters/types.js';
import type { Db } from '../db/client.js';
import type { Identity, IsoDate, Person, RoleAssignment } from '../db/schema.js';
import type { Copy } from './copy/index.js';
import type { DeadlinePolicy } from './deadlines.js';
import type { Effects, PlannedSend, SendSpec } from './effects.js';

/** Settings the flows need (a slice of the configuration). */
export interface FlowSettings {
  /** Longest question or answer accepted, in characters. */
  maxTextChars: number;
  defaultLocale: 'vi' | 'en';
  /** Legal deadline arithmetic (calendar, rules, agency overrides). */
  deadlines: DeadlinePolicy;
  /** Minutes after sending an answer during which its spokesperson may correct it; absent: 10. */
  answerCorrectionMinutes?: number;
  /**
   * How long after a person's last message the bot may still write to them on `platform`, in ms
   * (the adapter's `capabilities.replyWindowMs`; Zalo OA 48 h); undefined: no window. Absent: none anywhere.
   */
  replyWindowMs?: (platform: Platform) => number | undefined;
  /** What the adapter of `platform` can do (e.g. whether invites can be links); absent: assume the least. */
  capabilities?: (platform: Platform) => AdapterCapabilities | undefined;
  /** The web page's one-time sign-in link for a code; absent when the page is not served. */
  webSignInUrl?: (code: string) => string | undefined;
  /** The file limits people are told about when a file is refused (MB, files); absent: the defaults. */
  fileLimits?: { maxFileMb: number; maxMessageMb: number; maxFiles: number };
}

/** The person behind an inbound event. */
export interface Actor {
  identity: Identity;
  person: Person | undefined;
  /** Role assignments in force today, any status. */
  roles: RoleAssignment[];
  /** Copy in the actor's language. */
  t: Copy;
}

/** Everything a flow handler gets: the transaction, the time, the actor and the effects writer. */
export interface FlowContext {
  db: Db;
  now: Date;
  nowIso: string;
  /** Today's date in Vietnam (`YYYY-MM-DD`), for role validity. */
  today: IsoDate;
  settings: FlowSettings;
  event: InboundEvent;
  actor: Actor;
  effects: Effects;
  /** Queues a message to the actor's own chat. */
  reply(build: (t: Copy) => OutboundMessage, spec?: SendSpec): Promise<number>;
  /** The message {@link reply} would queue, for `effects.sendEach` with others (written together). */
  planReply(build: (t: Copy) => OutboundMessage, spec?: SendSpec): PlannedSend;
}

/** True when the actor's platform opens the bot from a link with a start code, so an invite can be a link. */
export function hasStartLinks(ctx: Pick<FlowContext, 'settings' | 'event'>): boolean {
  return ctx.settings.capabilities?.(ctx.event.platform)?.startLinks === true;
}
