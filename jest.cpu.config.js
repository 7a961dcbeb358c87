/**
 * `npm run test:cpu -- <paths>`: the project's jest configuration, and each
 * suite's CPU time appended to test-artifacts/suite-cpu.jsonl (test/support/suite-cpu.ts;
 * docs/contributing.md, "How long the tests take").
 */
import config from './jest.config.js';

export default { ...config, setupFilesAfterEnv: [...config.setupFilesAfterEnv, '<rootDir>/test/support/suite-cpu.ts'] };
