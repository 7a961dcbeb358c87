import { fileURLToPath } from 'node:url';
import { suitesToSkip } from './test/support/required-tools.js';

const testDir = fileURLToPath(new URL('./test', import.meta.url));

/**
 * Suites that need nginx or Chromium (`@requires` in their header) are left
 * out on a machine without them, and named at the end of the run; under
 * `CI=true` they always run, so a missing program fails CI.
 */
const skipped = suitesToSkip(testDir);
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** @type {import('jest').Config} */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...skipped.map((suite) => `^${escape(suite.file)}$`)],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  // The event loop is watched in every suite that loads the server (docs/security.md).
  setupFilesAfterEnv: ['<rootDir>/test/support/watch-loop.ts'],
  reporters: ['default', ['<rootDir>/test/support/skipped-suites-reporter.js', { skipped }]],
};
