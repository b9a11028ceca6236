import { appendFile, chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ZcaSendQuote } from './zca.js';

/** What zca-js needs to quote a message, plus the thread it belongs to. */
export interface StoredQuote {
  threadId: string;
  quote: ZcaSendQuote;
}

/**
 * Recent inbound messages by msgId, so an answer can quote the reporter's question: zca-js quotes
 * from the quoted message's own data (content, cliMsgId, ts…), not from its id alone. Kept in
 * memory (newest `maxEntries`) and appended to a JSON-lines file (mode 600: message texts are
 * personal data), so a quote still works after a restart. The file is compacted on load.
 */
export interface QuoteStore {
  /** Loads the file (missing: empty). Call once before use. */
  load(): Promise<void>;
  /** Remembers a message; persists it before resolving. */
  put(entry: StoredQuote): Promise<void>;
  get(msgId: string): StoredQuote | undefined;
  readonly size: number;
}

/** Options of {@link createQuoteStore}. */
export interface QuoteStoreOptions {
  /** The JSON-lines file; undefined keeps the store in memory only. */
  path?: string;
  /** How many messages to keep. Default 5000. */
  maxEntries?: number;
}

const DEFAULT_MAX_ENTRIES = 5000;

/** Creates a {@link QuoteStore}. */
export function createQuoteStore(options: QuoteStoreOptions = {}): QuoteStore {
  const max = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const entries = new Map<string, StoredQuote>();
  let linesOnDisk = 0;
  const remember = (entry: StoredQuote) => {
    entries.delete(entry.quote.msgId);
    entries.set(entry.quote.msgId, entry);
    while (entries.size > max) entries.delete(entries.keys().next().value as string);
  };
  return {
    async load() {
      if (!options.path) return;
      const text = await readFile(options.path, 'utf8').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return '';
        throw err;
      });
      for (const line of text.split('\n')) {
        const entry = parseLine(line);
        if (entry) remember(entry);
      }
      await rewrite(options.path, [...entries.values()]);
      linesOnDisk = entries.size;
    },
    async put(entry) {
      remember(entry);
      if (!options.path) return;
      await mkdir(dirname(options.path), { recursive: true, mode: 0o700 });
      await appendFile(options.path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
      linesOnDisk += 1;
      if (linesOnDisk > 2 * max) {
        await rewrite(options.path, [...entries.values()]);
        linesOnDisk = entries.size;
      }
    },
    get: (msgId) => entries.get(msgId),
    get size() { return entries.size; },
  };
}

function parseLine(line: string): StoredQuote | undefined {
  if (line.trim() === '') return undefined;
  try {
    const parsed = JSON.parse(line) as Partial<StoredQuote>;
    if (typeof parsed.threadId !== 'string' || typeof parsed.quote?.msgId !== 'string') return undefined;
    return parsed as StoredQuote;
  } catch {
    return undefined; // a line cut by a crash: skip it
  }
}

async function rewrite(path: string, entries: StoredQuote[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, entries.map((e) => `${JSON.stringify(e)}\n`).join(''), { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}
