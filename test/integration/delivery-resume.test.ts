import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendMessageParts } from '../../adapters/parts.js';
import { splitText, type ChatAdapter, type OutboundFile, type OutboundMessage } from '../../adapters/types.js';
import { insertRecipients, recordRecipientParts } from '../../db/repositories/notices.js';
import { insertNotice } from '../../db/repositories/notices-write.js';
import { findOutbox, insertOutbox, recordOutboxPartsSent } from '../../db/repositories/outbox.js';
import { sendRemainingParts, storedProgress, type PartsLog } from '../../src/delivery/parts.js';
import { createLogger } from '../../src/logger.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { linkChat, seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';

const NOW = '2026-11-23T02:00:00.000Z';
const CHAT = 'chat-syt';

/** What the "platform" accepted, across processes: one entry per part (text, or the file's name). */
type Delivered = string[];

/**
 * A platform whose adapter follows the shared part protocol (`adapters/parts.ts`), 10 characters
 * a part. With `crashAt`, the send of that part never returns: the process died while it was on
 * the wire (it never reached the platform). `reached` resolves when it got there.
 */
function platform(delivered: Delivered, crashAt?: number): { adapter: ChatAdapter; reached: Promise<void> } {
  let arrived = (): void => undefined;
  const reached = new Promise<void>((resolve) => { arrived = resolve; });
  const accept = (index: number, what: string): Promise<string> => {
    if (index === crashAt) {
      arrived();
      return new Promise<string>(() => undefined);
    }
    delivered.push(what);
    return Promise.resolve(`m${delivered.length}`);
  };
  const adapter: ChatAdapter = {
    platform: 'telegram',
    capabilities: { buttons: true, replies: true, maxTextLength: 10, edits: false },
    start: async () => undefined,
    stop: async () => undefined,
    send: (_chatId, message, options = {}) => sendMessageParts(message, 10, options, {
      text: (part) => accept(part.index, part.text),
      file: (part) => accept(part.index, part.file.name),
    }),
  };
  return { adapter, reached };
}

function file(name: string): OutboundFile {
  return { attachmentId: 1, name, mimeType: 'application/pdf', sizeBytes: 3, kind: 'document', sha256: 'ab', open: () => Promise.reject(new Error('not read')) };
}

/** A caller's bookkeeping: where its row lives and how it records parts (the real repositories). */
interface Bookkeeping {
  create(): Promise<number>;
  log(id: number): PartsLog;
  stored(id: number): Promise<{ sent_message_ids: string | null; parts_sent: number }>;
}

describe.each(testDialects())('the delivery core resumes a message in parts after a crash, on %s', (dialect) => {
  let t: TestDb;
  let net: MiniNetwork;
  let identityId: number;

  beforeEach(async () => {
    t = await createTestDb(dialect);
    net = await seedMiniNetwork(t.db);
    identityId = await linkChat(t.db, net.healthSpokesId, 'telegram', CHAT);
  });
  afterEach(async () => { await t.drop(); });

  const callers: Record<string, () => Bookkeeping> = {
    'the outbox': () => ({
      create: () => insertOutbox(t.db, {
        queue: 'outbox', identity_id: identityId, platform: 'telegram', chat_id: CHAT, text: 'x', buttons: null,
        reply_to_message_id: null, reply_to_outbox_id: null, inquiry_id: null, ref_kind: null, ref_person_id: net.healthSpokesId,
        report_unreachable: 0, status: 'pending', attempts: 0, parts_sent: 0, sent_message_id: null, sent_message_ids: null,
        last_error: null, created_at: NOW, sent_at: null,
      }),
      log: (id) => ({ record: (ids) => recordOutboxPartsSent(t.db, id, ids) }),
      stored: async (id) => (await findOutbox(t.db, id))!,
    }),
    'the notices engine': () => ({
      create: async () => {
        const noticeId = await insertNotice(t.db, {
          title: 'Lịch cắt điện', body: 'Thứ Bảy.', link: null, audience: '{"all":true}', created_by_person_id: net.coordinatorId, status: 'sending',
          confirmed_at: NOW, finished_at: null, progress_identity_id: null, progress_message_id: null, progress_outbox_id: null, parent_id: null,
          remind_at: null, reminded_at: null, created_at: NOW, updated_at: NOW,
        });
        await insertRecipients(t.db, noticeId, [{ personId: net.healthSpokesId, orgId: net.healthId, identityId, platform: 'telegram', chatId: CHAT, status: 'pending' }], NOW);
        return (await t.db.selectFrom('notice_recipients').select('id').where('notice_id', '=', noticeId).executeTakeFirstOrThrow()).id;
      },
      log: (id) => ({ record: (ids) => recordRecipientParts(t.db, id, ids) }),
      stored: (id) => t.db.selectFrom('notice_recipients').select(['sent_message_ids', 'parts_sent']).where('id', '=', id).executeTakeFirstOrThrow(),
    }),
  };

  const persist = { logger: createLogger({ level: 'silent' }), scrub: (s: string) => s, giveUpAfterMs: 1000, fields: {} };

  /** Sends `message` until the crash at part `crashAt`, then again as a restarted process would: from what the row records. */
  async function crashAndResume(books: Bookkeeping, message: OutboundMessage, crashAt: number) {
    const id = await books.create();
    const delivered: Delivered = [];
    const first = platform(delivered, crashAt);
    void sendRemainingParts(first.adapter, CHAT, message, storedProgress(null, 0), { log: books.log(id), persist });
    await first.reached;
    const beforeResume = [...delivered];
    const row = await books.stored(id);
    const progress = storedProgress(row.sent_message_ids, row.parts_sent);
    await sendRemainingParts(platform(delivered).adapter, CHAT, message, progress, { log: books.log(id), persist });
    return { beforeResume, delivered, recordedAtCrash: row.parts_sent, ids: progress.ids };
  }

  for (const [caller, books] of Object.entries(callers)) {
    it(`${caller}: a long text goes on from the part after the last one delivered, none twice`, async () => {
      const text = 'Một hai ba bốn năm sáu bảy tám chín mười';
      const r = await crashAndResume(books(), { text }, 2);
      expect(r.beforeResume).toHaveLength(2);
      expect(r.recordedAtCrash).toBe(2);
      // Every part exactly once, in order, and the ids of the whole message kept together.
      const parts = splitText(text, 10);
      expect(parts.length).toBeGreaterThan(3);
      expect(r.delivered).toEqual(parts);
      expect(r.ids).toEqual(r.delivered.map((_, i) => `m${i + 1}`));
    });

    it(`${caller}: the files after a text are parts too: a crash on the second file sends neither the text nor the first file again`, async () => {
      // Before the core, the outbox counted text parts only: the text was "the last part", so
      // nothing was recorded until the outcome, and the restart sent the text and the first file again.
      const r = await crashAndResume(books(), { text: 'Thông báo', files: [file('lich.pdf'), file('phu-luc.pdf')] }, 2);
      expect(r.recordedAtCrash).toBe(2);
      expect(r.delivered).toEqual(['Thông báo', 'lich.pdf', 'phu-luc.pdf']);
    });
  }
});
