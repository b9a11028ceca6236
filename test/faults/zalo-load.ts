/**
 * The Zalo OA side of the fault suite's load: reporters who write to the OA (signed webhook events
 * of Zalo's shape) and answer its numbered menus, while the Telegram spokesperson of
 * test/helpers/crash-load.ts answers every question. An event the bot did not acknowledge with 200
 * (it was down, starting, or its database away) is posted again byte for byte, as Zalo re-delivers.
 * Test code only.
 */
import { randomBytes } from 'node:crypto';
import { computeZaloSignature } from '../../adapters/zalo-oa/signature.js';
import { TEST_APP_ID, TEST_OA_SECRET } from '../fakes/zalo-oa/harness.js';
import type { FakeZaloOa, OaSent } from '../fakes/zalo-oa/server.js';
import type { LoadState } from '../helpers/crash-load.js';

const TOKEN = /\[tok:([a-z0-9-]+)\]/;
const OA_ID = '4318741890352471234';

/** One Zalo reporter's place in its current question. */
interface Step { token: string; stage: 'topic' | 'confirm' | 'accepted' }

export class ZaloLoad {
  private readonly steps = new Map<string, Step>();
  private readonly timer: NodeJS.Timeout;
  private read = 0;
  private seq = 0;
  /** Webhook posts not yet acknowledged with 200 (re-posted until they are). */
  pendingPosts = 0;
  /** Answers other than 200, 5xx or "bot unreachable" (a refusal would be a defect). */
  readonly refusals: string[] = [];

  constructor(
    private readonly fake: FakeZaloOa, private readonly webhookUrl: string, readonly users: readonly string[],
    private readonly state: LoadState, private readonly pauseMs: number, private readonly running: () => boolean,
  ) {
    this.timer = setInterval(() => this.poll(), 50);
    this.timer.unref();
  }

  /** Where the Zalo reporter who asked `token` stands, and the last messages the OA sent them (for a failure message). */
  describe(token: string): string | undefined {
    const user = this.state.asked.get(token)?.id;
    if (typeof user !== 'string' || !this.users.includes(user)) return undefined;
    const step = this.steps.get(user);
    const last = this.fake.sentTo(user).slice(-4).map((m) => `«${m.text.slice(0, 120).replace(/\n/g, ' / ')}»`);
    return `${token} (Zalo ${user}, ${step?.token === token ? step.stage : 'no step'}, ${this.pendingPosts} posts unacknowledged, refusals: ${this.refusals.slice(-3).join(', ') || 'none'}): ${last.join(' ')}`;
  }

  /** Each Zalo reporter asks a first question. */
  start(): void {
    for (const user of this.users) if (!this.steps.has(user)) this.ask(user);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Sends `text` as `user` and waits until the bot acknowledged it (re-posting the same body meanwhile). */
  async send(user: string, text: string, quoteMsgId?: string): Promise<void> {
    const timestamp = String(Date.now());
    const rawBody = JSON.stringify({
      app_id: TEST_APP_ID, user_id_by_app: `9${user}`, event_name: 'user_send_text', timestamp, sender: { id: user }, recipient: { id: OA_ID },
      message: { text, msg_id: randomBytes(16).toString('hex'), ...(quoteMsgId ? { quote_msg_id: quoteMsgId } : {}) },
    });
    const headers = { 'content-type': 'application/json', 'x-zevent-signature': `mac=${computeZaloSignature(TEST_APP_ID, rawBody, timestamp, TEST_OA_SECRET)}` };
    this.pendingPosts += 1;
    try {
      for (;;) {
        const status = await fetch(this.webhookUrl, { method: 'POST', headers, body: rawBody, signal: AbortSignal.timeout(30_000) })
          .then(async (res) => { await res.arrayBuffer(); return res.status; }, () => 0);
        if (status === 200) return;
        // 0: no answer (the bot is down); 503/500: not ready or its database away. Anything else is a
        // refusal, reported as a problem; Zalo re-delivers whatever the answer, and so does the load.
        if (status !== 0 && status < 500) this.refusals.push(`${status} for ${text.slice(0, 40)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } finally {
      this.pendingPosts -= 1;
    }
  }

  private ask(user: string): void {
    const token = `z${user.slice(-2)}-${++this.seq}`;
    this.state.asked.set(token, { id: user });
    this.steps.set(user, { token, stage: 'topic' });
    void this.send(user, `Xin cho biết số điểm ngập tại xã tuần này? [tok:${token}]`);
  }

  private poll(): void {
    while (this.read < this.fake.sent.length) this.onSent(this.fake.sent[this.read++]!);
  }

  private onSent(sent: OaSent): void {
    if (!this.users.includes(sent.userId)) return;
    const token = TOKEN.exec(sent.text)?.[1];
    if (token && sent.text.includes('Trả lời câu hỏi')) return void this.state.answered.add(token);
    const step = this.steps.get(sent.userId);
    if (!step) return;
    if (step.stage === 'topic' && token === step.token && this.choose(sent, 'Y tế')) step.stage = 'confirm';
    else if (step.stage === 'confirm' && sent.text.includes('Xác nhận gửi') && this.choose(sent, 'Gửi')) step.stage = 'accepted';
    else if (step.stage === 'accepted' && sent.text.startsWith('Đã tiếp nhận câu hỏi')) {
      this.steps.delete(sent.userId);
      if (this.running()) setTimeout(() => { if (this.running()) this.ask(sent.userId); }, this.pauseMs);
    }
  }

  /** Answers the numbered menu `menu` with the number of the line labelled `label`; false when there is none. */
  private choose(menu: OaSent, label: string): boolean {
    const line = menu.text.split('\n').find((l) => /^\d+\. /.test(l) && l.slice(l.indexOf(' ') + 1).startsWith(label));
    if (!line) return false;
    void this.send(menu.userId, line.split('.')[0]!, menu.messageId);
    return true;
  }
}

/** An OA message as the accounting compares it with its outbox row: the row's text when the row's text begins it (a menu adds its numbered lines). */
export function asRowText(sent: OaSent, rowTexts: ReadonlyMap<string, readonly string[]>): { chatId: string; text: string } {
  const candidates = rowTexts.get(sent.userId) ?? [];
  const row = candidates.filter((t) => sent.text.startsWith(t)).sort((a, b) => b.length - a.length)[0];
  return { chatId: sent.userId, text: row ?? sent.text };
}
