import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { TgUpdate, WebhookDeliveryRecord } from './types.js';
import { isAllowedUpdate } from './update-queue.js';

/** Retry policy for webhook pushes. */
export interface WebhookRetryOptions {
  /** Attempts per update, including the first. Default 3. */
  attempts: number;
  /** Wait before retry n is `n * retryDelayMs` milliseconds. Default 20. */
  retryDelayMs: number;
}

/** The webhook registered with setWebhook. */
export interface WebhookTarget {
  url: string;
  secretToken?: string;
  /** `allowed_updates` given to setWebhook; other kinds are dropped, as Telegram does. */
  allowedUpdates: readonly string[];
}

/**
 * Pushes updates to the registered webhook one at a time, in order, retrying a non-2xx answer or
 * a connection failure a bounded number of times, then dropping the update (at-least-once).
 */
export class WebhookPusher {
  private queue: TgUpdate[] = [];
  private running = false;
  private stopped = false;
  target: WebhookTarget | undefined;
  lastError: { at: Date; message: string } | undefined;

  constructor(
    private readonly retry: WebhookRetryOptions,
    private readonly onDelivery: (record: WebhookDeliveryRecord) => void,
  ) {}

  /** Updates waiting to be pushed, including the one being pushed. */
  get pendingCount(): number {
    return this.queue.length;
  }

  push(update: TgUpdate): void {
    if (this.target && !isAllowedUpdate(update, this.target.allowedUpdates)) return;
    this.queue.push(update);
    void this.run();
  }

  /** Removes pending updates (deleteWebhook with drop_pending_updates, or the queue moves back to getUpdates). */
  drain(): TgUpdate[] {
    const drained = this.queue.slice(this.running ? 1 : 0);
    this.queue = this.queue.slice(0, this.running ? 1 : 0);
    return drained;
  }

  stop(): void {
    this.stopped = true;
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.stopped && this.target && this.queue.length > 0) {
        await this.deliver(this.queue[0]!, this.target);
        this.queue.shift();
      }
    } finally {
      this.running = false;
    }
  }

  private async deliver(update: TgUpdate, target: WebhookTarget): Promise<void> {
    for (let attempt = 1; attempt <= this.retry.attempts && !this.stopped; attempt += 1) {
      const outcome = await post(target, JSON.stringify(update));
      this.onDelivery({ updateId: update.update_id, attempt, ...outcome, at: new Date() });
      if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300) return;
      this.lastError = { at: new Date(), message: outcome.error ?? `Wrong response from the webhook: ${outcome.status}` };
      if (attempt < this.retry.attempts) await delay(attempt * this.retry.retryDelayMs);
    }
  }
}

function post(target: WebhookTarget, body: string): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    if (target.secretToken !== undefined) headers['x-telegram-bot-api-secret-token'] = target.secretToken;
    const send = target.url.startsWith('https:') ? httpsRequest : request;
    // agent: false gives one connection per push, so the receiving test server can close promptly.
    const req = send(target.url, { method: 'POST', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      res.on('error', (err) => resolve({ error: err.message }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('webhook timed out')));
    req.on('error', (err) => resolve({ error: err.message }));
    req.end(body);
  });
}

const delay = (ms: number) => new Promise<void>((resolve) => { setTimeout(resolve, ms); });
