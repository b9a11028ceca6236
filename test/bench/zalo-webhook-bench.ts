/**
 * The Zalo OA webhook under a flood of unsigned bodies (issue #10, fault 6): six clients post
 * unsigned bodies without pause (just under 1 MiB, refused by size, and 60 KiB ones just under the cap,
 * refused by signature) while signed events arrive every 20 ms. Measures the signed events' ack and
 * `/healthz` during the flood. The OA adapter and the bot's HTTP server as `npm start` builds them
 * run in this process with a stub event store (the ack path's own cost is measured elsewhere); the
 * flooding clients run in a child process, so their own work does not load this event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { ZALO_OA_WEBHOOK_BODY_LIMIT_BYTES } from '../../adapters/zalo-oa/webhook.js';
import { createZaloOaHarness } from '../fakes/zalo-oa/harness.js';
import { round, summarize, type BenchRow } from './bench-helpers.js';

const FLOODERS = 6;
const USER = '2468458835296197922';

/** Runs the flood; `quick` sends 50 signed events instead of 200. */
export async function benchZaloWebhook(options: { quick: boolean }): Promise<BenchRow[]> {
  const h = await createZaloOaHarness();
  const signedCount = options.quick ? 50 : 200;
  const flooder = startFlooders(h.webhookUrl);
  const acks: number[] = [];
  const health: number[] = [];
  try {
    for (let i = 0; i < signedCount; i += 1) {
      const started = performance.now();
      const delivery = await h.driver.userText(USER, `câu hỏi ${i}`);
      if (delivery.status !== 200) throw new Error(`a signed event got ${delivery.status}`);
      acks.push(performance.now() - started);
      const t = performance.now();
      await (await fetch(`${h.origin}/healthz`)).arrayBuffer();
      health.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    flooder.kill('SIGTERM');
    await h.teardown();
  }
  const statuses = await flooder.statuses;
  const ack = summarize(acks);
  const hz = summarize(health);
  const refused = Object.entries(statuses).map(([status, n]) => `${n}×${status}`).join(', ');
  return [
    { name: `zalo-oa webhook: signed ack p99 during an unsigned flood (${FLOODERS} clients)`, value: round(ack.p99), unit: 'ms', bound: '< 200 ms', figure: `p50 ${round(ack.p50)} / p99 ${round(ack.p99)} / max ${round(ack.max)} ms` },
    { name: 'zalo-oa webhook: /healthz p99 during the flood', value: round(hz.p99), unit: 'ms', bound: '< 200 ms' },
    { name: 'zalo-oa webhook: unsigned bodies refused during the run', value: Object.values(statuses).reduce((a, b) => a + b, 0), unit: '', bound: '(reported)', figure: refused },
  ];
}

/** The flooding clients, in a child process; `statuses` resolves with the count of each status once it exits. */
function startFlooders(url: string): ChildProcess & { statuses: Promise<Record<string, number>> } {
  const code = `
    const url = process.argv[1];
    const forged = (bytes) => JSON.stringify({ app_id: '1', event_name: 'user_send_text', timestamp: String(Date.now()), message: { text: 'x'.repeat(bytes), msg_id: 'forged' } });
    const bodies = [forged(1024 * 1024 - 1024), forged(${ZALO_OA_WEBHOOK_BODY_LIMIT_BYTES - 4096})];
    const statuses = {};
    let on = true;
    process.on('SIGTERM', () => { on = false; });
    const flood = async (i) => {
      for (let n = i; on; n += 1) {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[n % 2] }).catch(() => undefined);
        if (res) { await res.arrayBuffer().catch(() => undefined); statuses[res.status] = (statuses[res.status] ?? 0) + 1; }
      }
    };
    Promise.all(Array.from({ length: ${FLOODERS} }, (_v, i) => flood(i))).then(() => { process.stdout.write(JSON.stringify(statuses)); });
  `;
  const child = spawn(process.execPath, ['-e', code, url], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  const statuses = new Promise<Record<string, number>>((resolve) => {
    child.on('exit', () => resolve(out ? (JSON.parse(out) as Record<string, number>) : {}));
  });
  return Object.assign(child, { statuses });
}
