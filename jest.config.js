import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BUILT_WORKER } from './test/support/built-is-current.js';
import { suitesToSkip } from './test/support/required-tools.js';

const testDir = fileURLToPath(new URL('./test', import.meta.url));

/**
 * Suites that need nginx or Chromium (`@requires` in their header) are left
 * out on a machine without them, and named at the end of the run; under
 * `CI=true` they always run, so a missing program fails CI.
 */
const skipped = suitesToSkip(testDir);
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Worker threads (the server's renders and check's) load their modules from
 * the build this names (src/render/thread-pool.ts), not the TypeScript
 * source through tsx, which every suite's threads would compile again; the
 * global setup stops the run when dist/ is older than src/.
 */
process.env.LEDE_RENDER_WORKER = BUILT_WORKER;

/** @type {import('jest').Config} */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...skipped.map((suite) => `^${escapeRegExp(suite.file)}$`)],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  // The event loop is watched in every suite that loads the server (docs/security.md).
  setupFilesAfterEnv: ['<rootDir>/test/support/watch-loop.ts'],
  globalSetup: '<rootDir>/test/support/built-is-current.js',
  // Room for a test to pass with two CPU hogs beside it (npm run test:stress): a suite's
  // first request compiles the server, and a busy machine makes that many times slower.
  testTimeout: 60_000,
  // One worker more than the cores (at most 4): many suites wait on a child process, a watch or
  // a socket, and a third worker on 2 cores fills those waits (npm run test:unit 60 -> 57 s of
  // jest on Node 26, docs/contributing.md). Never one: jest then runs every suite in band in its
  // own process, which grew to 3.4 GB. A worker holding over 1 GB after a suite is replaced.
  maxWorkers: Math.min(4, availableParallelism() + 1),
  workerIdleMemoryLimit: '1GB',
  reporters: ['default', ['<rootDir>/test/support/skipped-suites-reporter.js', { skipped }]],
};
