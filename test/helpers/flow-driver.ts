import { afterEach, beforeEach } from 'vitest';
import type { Button, InboundEvent } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import type { FlowSettings } from '../../flows/context.js';
import { createInboundProcessor, type InboundProcessorOptions } from '../../src/inbound/processor.js';
import type { WorkCalendar } from '../../src/time/calendar.js';
import { createLogger } from '../../src/logger.js';
import { createManualClock, type ManualClock } from '../../src/time/clock.js';
import { loadCalendar } from '../../src/import/calendar.js';
import { createDeadlinePolicy } from '../../src/time/deadline-policy.js';
import type { Dialect } from '../../db/client.js';
import { createTestDb, type TestDb } from './db.js';
import { seedMiniNetwork, type MiniNetwork } from './directory-fixture.js';

/** A message as the user's chat would show it. */
export interface ChatMessage {
  outboxId: number;
  messageId: string;
  text: string;
  buttons: Button[][];
  replyTo: string | null;
}

/** What a test may put in place of the driver's defaults (nothing after commit; the calendar read each time). */
export interface FlowDriverOptions {
  /** Called after each event's commit with its outbox rows, as the dispatcher is. */
  enqueueOutbox?: InboundProcessorOptions['enqueueOutbox'];
  /** Called after each event's commit with its inquiries' deadline changes, as the scheduler is. */
  syncDeadlines?: InboundProcessorOptions['syncDeadlines'];
  /** The legal calendar (e.g. a cached one, as `src/main.ts` has). */
  loadCalendar?: (db: Db) => Promise<WorkCalendar> | WorkCalendar;
  /** What each platform's chats can do (e.g. `edits`: an edit row then changes the message it edits). Default: none known. */
  capabilities?: FlowSettings['capabilities'];
}

/**
 * Drives the flows through the real inbound processor and database, delivering outbox rows the
 * way the dispatcher does (message ids, message refs) but without a queue or platform. For flow
 * integration tests; the end-to-end tests use the real dispatcher and adapters.
 */
export function createFlowDriver(db: Db, clock: ManualClock, options: FlowDriverOptions = {}) {
  const deadlineSyncs: number[] = [];
  const logger = createLogger({ level: 'silent' });
  const policy = createDeadlinePolicy({ db, loadCalendar: options.loadCalendar ?? ((via) => loadCalendar(via)) });
  const processor = createInboundProcessor({
    db, clock, logger, settings: { maxTextChars: 4000, defaultLocale: 'vi', deadlines: policy, ...(options.capabilities ? { capabilities: options.capabilities } : {}) },
    enqueueOutbox: options.enqueueOutbox ?? (async () => undefined),
    syncDeadlines: async (ids, created) => { deadlineSyncs.push(...ids); await options.syncDeadlines?.(ids, created); },
  });
  const inbox = new Map<string, ChatMessage[]>();
  let seq = 1000;

  const deliver = async () => {
    const rows = await db.selectFrom('outbox').selectAll().where('status', '=', 'pending').orderBy('id').execute();
    for (const row of rows) {
      const messageId = String(++seq);
      await db.updateTable('outbox').set({ status: 'sent', sent_message_id: messageId, sent_message_ids: JSON.stringify([messageId]), sent_at: clock.now().toISOString() }).where('id', '=', row.id).execute();
      if (row.inquiry_id && row.ref_kind) {
        await db.insertInto('message_refs').values({ platform: row.platform, chat_id: row.chat_id, message_id: messageId, inquiry_id: row.inquiry_id, kind: row.ref_kind, person_id: row.ref_person_id, created_at: clock.now().toISOString() }).execute();
      }
      const list = inbox.get(row.chat_id) ?? [];
      const edited = row.edit_of_outbox_id === null ? undefined : list.find((m) => m.outboxId === row.edit_of_outbox_id);
      if (edited) {
        Object.assign(edited, { text: row.edit_text ?? row.text, buttons: row.buttons ? JSON.parse(row.buttons) as Button[][] : [] });
        continue;
      }
      list.push({ outboxId: row.id, messageId, text: row.text, buttons: row.buttons ? JSON.parse(row.buttons) as Button[][] : [], replyTo: row.reply_to_message_id });
      inbox.set(row.chat_id, list);
    }
  };

  const emit = async (event: InboundEvent) => {
    await processor.accept(event);
    await processor.drain();
    await deliver();
  };
  const base = (user: string) => ({ platform: 'telegram' as const, eventId: String(++seq), from: { id: user, name: `User ${user}` }, chatId: user, at: clock.now(), raw: null });

  return {
    /** The user writes text (optionally as a reply); returns the user's message id. */
    async say(user: string, text: string, replyTo?: string): Promise<string> {
      const messageId = String(++seq);
      await emit({ ...base(user), kind: 'message', messageId, text, ...(replyTo ? { replyTo } : {}) });
      return messageId;
    },
    async command(user: string, command: string, args = ''): Promise<void> {
      await emit({ ...base(user), kind: 'command', messageId: String(++seq), command, args });
    },
    /**
     * Presses the button whose label contains `label` on the user's latest message that has one
     * (`text`: written with the press, as the web page's edit box sends it; `on`: that message instead).
     */
    async press(user: string, label: string, text?: string, on?: ChatMessage): Promise<void> {
      const msgs = on ? [on] : [...(inbox.get(user) ?? [])].reverse();
      for (const m of msgs) {
        const b = m.buttons.flat().find((x) => x.label.includes(label));
        if (b) return emit({ ...base(user), kind: 'button', messageId: m.messageId, action: b.action, payload: b.payload, ...(text === undefined ? {} : { text }) });
      }
      throw new Error(`no button "${label}" in ${user}'s chat`);
    },
    /** Presses raw action/payload (to test forged or stale presses). */
    async pressRaw(user: string, action: string, payload: string): Promise<void> {
      await emit({ ...base(user), kind: 'button', messageId: '1', action, payload });
    },
    inbox: (user: string): ChatMessage[] => inbox.get(user) ?? [],
    last: (user: string): ChatMessage => {
      const list = inbox.get(user) ?? [];
      const m = list[list.length - 1];
      if (!m) throw new Error(`no message to ${user}`);
      return m;
    },
    processor,
    /** Inquiry ids handed to the scheduler, in order. */
    deadlineSyncs,
  };
}

/** What {@link useFlowDriver} hands each test. */
export interface FlowDriverRun { t: TestDb; net: MiniNetwork; clock: ManualClock; bot: ReturnType<typeof createFlowDriver> }

/**
 * Before each test of the block: a fresh `dialect` database with the mini network, a manual clock
 * (2026-11-23 09:00 in Huế) and a driver, each `[user, invite]` of `starts` sent as `/start
 * <invite>`; all handed to `use`. The database is dropped after each test.
 */
export function useFlowDriver(dialect: Dialect, starts: ReadonlyArray<readonly [string, string]>, use: (run: FlowDriverRun) => void, options: FlowDriverOptions = {}): void {
  let t: TestDb | undefined;
  beforeEach(async () => {
    t = await createTestDb(dialect);
    const net = await seedMiniNetwork(t.db);
    const clock = createManualClock('2026-11-23T02:00:00Z');
    const bot = createFlowDriver(t.db, clock, options);
    for (const [user, invite] of starts) await bot.command(user, 'start', invite);
    use({ t, net, clock, bot });
  });
  afterEach(async () => { await t?.drop(); });
}
