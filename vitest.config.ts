import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Many files wait on links, modems and timers rather than compute (the 2G link test is 90 s
    // of emulated GPRS): three at once on a 2-core box keeps the suite under 10 minutes.
    maxWorkers: 3,
    execArgv: ['--expose-gc'],
    reporters: ['default'],
  },
});
