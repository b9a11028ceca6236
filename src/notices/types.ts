import type { Button, ChatAdapter, Platform } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import type { Copy } from '../../flows/copy/index.js';
import type { NoticeSettings } from '../config.js';
import type { FileDelivery } from '../files/deliverable.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../time/clock.js';
import type { LeaseKeeper } from '../outbox/lease.js';
import type { Pacer } from './pacer.js';

/**
 * Numbered-choice text for adapters without buttons (`flows/choices.ts`): the notice is sent as
 * text ending "1. Đã nhận", and the menu is recorded so a reply "1" becomes a press of the button.
 */
export interface NumberedChoices {
  render(text: string, buttons: Button[][], t: Copy): string;
  record(db: Db, m: { platform: Platform; chatId: string; messageId: string; buttons: Button[][]; at: string }): Promise<void>;
}

/** Everything a delivery lane needs; built once by the notice service. */
export interface NoticeContext {
  db: Db;
  adapters: ReadonlyMap<Platform, ChatAdapter>;
  logger: Logger;
  clock: Clock;
  settings: NoticeSettings;
  pacer: Pacer;
  /**
   * The claims of this process's sends in flight, renewed while a send runs (a 429 pause waited
   * out after the claim included), so only a claim of a stopped process lapses. On the injected clock.
   */
  lease: LeaseKeeper;
  /** The pacing account of a platform, e.g. `telegram-123456` (one bot), shared by every process. */
  accountOf(platform: Platform): string;
  defaultLocale: 'vi' | 'en';
  numberedChoices?: NumberedChoices;
  /** Hands committed outbox rows to the interactive dispatcher (notices its channel cannot take now). */
  enqueueOutbox(ids: readonly number[]): Promise<void>;
  /** Sends a notice's files as parts, or as links where the recipient's channel cannot take them; absent: links only. */
  files?: FileDelivery;
  /** Counts for metrics and the benchmark; optional. */
  onOutcome?(platform: Platform, outcome: 'sent' | 'rate_limited' | 'unreachable' | 'failed' | 'retry' | 'resent' | 'held'): void;
  sleep(ms: number): Promise<void>;
}

/** Data of a delivery job: recipient rows `fromId`..`toId` of one notice. */
export interface NoticeBatchJob {
  noticeId: number;
  fromId: number;
  toId: number;
}
