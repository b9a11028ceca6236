import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findAttachment } from '../../../db/repositories/attachments.js';
import { createFolderBlobStore } from '../../../src/files/blob-store.js';
import { createFileService, type FileService } from '../../../src/files/service.js';
import { createWebFileStore } from '../../../src/files/web-files.js';
import { readAll, streamOf } from '../../helpers/files.js';
import { createWebStore } from '../../../db/repositories/web.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { createWebAdapter, type WebAdapter, type WebAdapterOptions } from '../../../adapters/web/index.js';
import {
  RateLimitError, TransientError, UnreachableError, type ChatError, type InboundEvent,
} from '../../../adapters/types.js';
import { createHttpServer, type HttpServer } from '../../../src/http/server.js';
import { createEventCollector, type ContractHarness, type SendFailureKind, type SentView } from '../../helpers/adapter-contract.js';
import { createCapturedLogger } from '../telegram/harness.js';
import { createWebClient, type WebClient } from './client.js';

/** A contract harness over the web adapter served on a real HTTP server, plus its parts. */
export type WebHarness = ContractHarness & {
  adapter: WebAdapter;
  server: HttpServer;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** The `start` events of sign-ins (kept out of {@link ContractHarness.events}). */
  signIns: InboundEvent[];
  /** The adapter's store: a private SQLite database. */
  db: TestDb;
  /** The signed-in browser of contract user `userId`, signing in (code `INVITE-<userId>`) on first use. */
  clientOf(userId: string): Promise<WebClient>;
  logLines: string[];
  /** The bot's file service over a private folder (uploads land there). */
  files: FileService;
  /** Uploads `bytes` as `userId`'s browser does (`POST /web/api/files`); the answer's body. */
  upload(userId: string, bytes: Buffer, name: string, mimeType: string): Promise<{ status: number; body: Record<string, unknown> }>;
};

/**
 * Starts a web adapter and an HTTP server with its routes on 127.0.0.1:0. Each contract user is a
 * browser that signs in before its first action, and whose session owner id is the user id
 * (through the test-only `newOwnerId` option). A sign-in's `start` command goes to `signIns`, as a
 * Telegram user's `/start` would precede the contract's conversation.
 */
export async function createWebHarness(overrides: Partial<Omit<WebAdapterOptions, 'logger' | 'faults' | 'newOwnerId' | 'store'>> = {}): Promise<WebHarness> {
  const { logger, lines } = createCapturedLogger();
  const db = await createTestDb('sqlite');
  const fileDir = mkdtempSync(join(tmpdir(), 'web-files-'));
  const files = createFileService({
    db: db.db, store: createFolderBlobStore(join(fileDir, 'blobs')), tmpDir: join(fileDir, 'incoming'), logger, now: () => new Date(),
    limits: { maxFileBytes: 20 * 1024 * 1024, maxMessageBytes: 50 * 1024 * 1024, maxFilesPerMessage: 10 },
  });
  // The contract reads what was sent synchronously: a second, read-only connection to the same file.
  const reader = new Database(db.url, { readonly: true });
  const faults = new Map<string, ChatError[]>();
  const nextOwnerIds: string[] = [];
  const adapter = createWebAdapter({
    pollMs: 50,
    // Contract users sign in with invites `INVITE-<id>`; any other code is made up.
    redeemCode: async (code) => ({ status: code.startsWith('INVITE-') ? 'invite' : 'unknown' }),
    files: createWebFileStore({ db: db.db, files, logger, now: () => new Date() }),
    ...overrides, logger, store: createWebStore(db.db),
    newOwnerId: () => nextOwnerIds.shift() ?? randomBytes(16).toString('hex'),
    faults: (chatId) => faults.get(chatId)?.shift(),
  });
  const collector = createEventCollector();
  const signIns: InboundEvent[] = [];
  await adapter.start(async (event) => {
    if (event.eventId.includes('-sign-in-')) signIns.push(event);
    else await collector.onEvent(event);
  });
  const server = createHttpServer({
    host: '127.0.0.1', port: 0, logger, webhooks: [], routes: adapter.routes,
    health: async () => ({ ok: true, details: {} }),
  });
  const base = `http://127.0.0.1:${(await server.start()).port}`;
  const clients = new Map<string, Promise<WebClient>>();
  const clientOf = (userId: string): Promise<WebClient> => {
    let client = clients.get(userId);
    if (!client) {
      client = signedIn(base, userId, nextOwnerIds);
      clients.set(userId, client);
    }
    return client;
  };
  const upload = async (userId: string, bytes: Buffer, name: string, mimeType: string) => {
    const client = await clientOf(userId);
    const reply = await client.post('/web/api/files', undefined, { raw: bytes, contentType: mimeType, headers: { 'x-file-name': encodeURIComponent(name) } });
    return { status: reply.status, body: reply.body };
  };
  const userMessage = async (userId: string, text: string, replyTo?: string, fileRefs?: string[]) => {
    const client = await clientOf(userId);
    const reply = await client.post('/web/api/messages', {
      text, clientId: client.newClientId(), ...(replyTo === undefined ? {} : { replyTo }), ...(fileRefs ? { files: fileRefs } : {}),
    });
    if (reply.status !== 200) throw new Error(`POST /web/api/messages: ${reply.status} ${JSON.stringify(reply.body)}`);
    return { messageId: String(reply.body.messageId) };
  };
  return {
    adapter, server, base, signIns, clientOf, db, logLines: lines, files, upload,
    events: collector.events, waitForEvent: collector.waitForEvent,
    userMessage: (userId, text, replyTo) => userMessage(userId, text, replyTo),
    userFile: async (userId, f) => {
      const up = await upload(userId, f.bytes, f.name ?? 'anh.jpg', f.mimeType);
      if (up.status !== 200) throw new Error(`POST /web/api/files: ${up.status} ${JSON.stringify(up.body)}`);
      return userMessage(userId, f.caption ?? '', undefined, [String(up.body.ref)]);
    },
    readReceivedFile: async (file) => {
      const row = await findAttachment(db.db, Number(/^upload:(\d+)$/.exec(file.ref)?.[1]));
      if (!row) throw new Error(`no upload ${file.ref}`);
      return readAll(await files.open(row));
    },
    storedFile: async (bytes, name, mimeType) => {
      const saved = await files.save({ bytes: streamOf(bytes), name, sourceKey: `test:${randomBytes(8).toString('hex')}`, fallbackName: 'tep' });
      if (!('attachmentId' in saved)) throw new Error(`not stored: ${saved.refused} (${mimeType})`);
      return files.toOutbound((await findAttachment(db.db, saved.attachmentId))!);
    },
    userCommand: (userId, command, args) => userMessage(userId, `/${command} ${args}`),
    userPress: async (userId, messageId, action, payload) => {
      const client = await clientOf(userId);
      const reply = await client.post('/web/api/buttons', { messageId, action, payload, clientId: client.newClientId() });
      if (reply.status !== 200) throw new Error(`POST /web/api/buttons: ${reply.status} ${JSON.stringify(reply.body)}`);
    },
    sentTo: (chatId) => botMessages(reader, chatId),
    failNextSend: (chatId, kind, retryAfterMs) => {
      faults.set(chatId, [...(faults.get(chatId) ?? []), toFault(kind, retryAfterMs)]);
    },
    teardown: async () => {
      await adapter.stop();
      await server.close();
      reader.close();
      await db.drop();
      rmSync(fileDir, { recursive: true, force: true });
    },
  };
}

interface MessageRow { seq: number; text: string; reply_to: string | null; buttons: string | null; files: string | null }

function botMessages(reader: Database.Database, chatId: string): SentView[] {
  const rows = reader.prepare("SELECT seq, text, reply_to, buttons, files FROM web_messages WHERE chat_id = ? AND sender = 'bot' ORDER BY seq").all(chatId) as MessageRow[];
  const fileOf = (json: string | null): SentView['file'] => {
    const first = json === null ? undefined : (JSON.parse(json) as Array<{ id: string; name: string }>)[0];
    if (!first) return undefined;
    const row = reader.prepare('SELECT sha256 FROM attachments WHERE id = ?').get(Number(first.id)) as { sha256: string } | undefined;
    return { sha256: row?.sha256 ?? 'unknown', name: first.name };
  };
  return rows.map((r): SentView => {
    const file = fileOf(r.files);
    return {
      messageId: String(r.seq), text: r.text,
      ...(r.reply_to === null ? {} : { replyTo: r.reply_to }),
      ...(r.buttons === null ? {} : { buttons: JSON.parse(r.buttons) as SentView['buttons'] }),
      ...(file ? { file } : {}),
    };
  });
}

async function signedIn(base: string, userId: string, nextOwnerIds: string[]): Promise<WebClient> {
  const client = createWebClient(base);
  nextOwnerIds.push(userId);
  const reply = await client.signIn(`INVITE-${userId}`);
  if (reply.status !== 200) throw new Error(`sign-in: ${reply.status} ${JSON.stringify(reply.body)}`);
  return client;
}

/** The error the web adapter would meet for each contract failure kind. */
function toFault(kind: SendFailureKind, retryAfterMs = 1000): ChatError {
  switch (kind) {
    case 'rate_limit': return new RateLimitError(retryAfterMs);
    case 'blocked': return new UnreachableError('blocked');
    case 'not_found': return new UnreachableError('not_found');
    case 'server_error': return new TransientError('server error');
  }
}
