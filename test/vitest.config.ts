import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './setup/slow-first.js';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Integration and e2e files each own a Redis prefix and a database; two workers fit 2 cores.
    pool: 'forks',
    maxWorkers: 2,
    // These bound a hang, not the machine's speed: on a loaded 2-core machine a test that starts
    // the bot or the CLI as a child process can take a minute and still be right.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    env: { TZ: 'UTC' },
    sequence: { sequencer: SlowFirstSequencer },
    reporters: ['default', ['json', { outputFile: 'test-output/vitest.json' }]],
  },
});
