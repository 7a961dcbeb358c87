/**
 * Every suite that loads the server watches the event loop
 * (test/helpers/loop-watch.ts, docs/security.md): registered by jest.config.js
 * (`setupFilesAfterEnv`) for each suite under test/http, test/hostile,
 * test/integration and test/browser that builds an app or starts a server,
 * so no suite can forget it. Suites of pure functions (hostile markdown fed
 * to `plainText`, say) test work that runs on render threads, not the loop.
 */
import { readFileSync } from 'node:fs';
import { expect } from '@jest/globals';
import { watchEventLoop } from '../helpers/loop-watch.js';

const SERVER_FOLDERS = /[\\/]test[\\/](http|hostile|integration|browser)[\\/]/;
const LOADS_THE_SERVER = /\b(testApp|createApp|startChildServer|startServer|listen)\(/;

const suite = expect.getState().testPath ?? '';

/**
 * A catch-all for a long hold, with room for a suite's first, cold request
 * on a busy machine: jest gives each suite its own module registry, so the
 * server's code is compiled on the main thread again in every suite (up to
 * 381 ms of CPU was seen in CI at load 8, under 50 ms on a quiet machine).
 * The suites of issue 27's findings (stalls of search and images, writes in
 * progress, slow listings, deploys) call `watchEventLoop()` themselves and
 * hold the server to `LOOP_LIMIT_MS`, twice the 50 ms budget.
 */
const CATCH_ALL_LIMIT_MS = 250;

if (SERVER_FOLDERS.test(suite) && LOADS_THE_SERVER.test(readFileSync(suite, 'utf8'))) watchEventLoop(CATCH_ALL_LIMIT_MS);
