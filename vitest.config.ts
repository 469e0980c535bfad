import { defineConfig } from 'vitest/config';

// Three tiers: pure unit tests; integration tests over HTTP (app.inject) on SQLite and PostgreSQL;
// browser tests driving Debian's Chromium against the built web apps. The CI machine has 2 cores:
// at most 2 test files run at once, whatever the project.
export default defineConfig({
  test: {
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['./test/support/global-postgres.ts'],
          maxWorkers: 2,
          // Password hashing (scrypt) and PostgreSQL round trips are real; leave room on a busy runner.
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['./test/support/global-web-build.ts'],
          // One Chromium at a time: two would starve the server they talk to on 2 cores.
          fileParallelism: false,
          maxWorkers: 1,
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
