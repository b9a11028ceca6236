/**
 * A real process holding an outbox claim owner id, to be killed: what another process of this
 * machine sees after `kill -9`. Test code only.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const LEASE_SOURCE = fileURLToPath(new URL('../../src/outbox/lease.ts', import.meta.url));

/** A child process that creates a keeper, prints its owner id and lives until its stdin closes. */
export async function childOwner(): Promise<{ owner: string; end: () => Promise<void>; kill9: () => Promise<void> }> {
  const script = `const { createLeaseKeeper } = await import(${JSON.stringify(LEASE_SOURCE)});
const k = createLeaseKeeper({ leaseMs: 3000, label: 'outbox', logger: { warn() {} }, renew: async () => {} });
console.log(k.owner); process.stdin.resume(); process.stdin.on('end', () => process.exit(0));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString('utf8'); });
  while (!out.includes('\n')) await once(child.stdout, 'data');
  const exited = once(child, 'exit');
  return {
    owner: out.trim(),
    end: async () => { child.stdin.end(); await exited; },
    kill9: async () => { child.kill('SIGKILL'); await exited; },
  };
}

