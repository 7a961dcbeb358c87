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
import { LOOP_LIMIT_MS, watchEventLoop } from '../helpers/loop-watch.js';

const SERVER_FOLDERS = /[\\/]test[\\/](http|hostile|integration|browser)[\\/]/;
const LOADS_THE_SERVER = /\b(testApp|createApp|startChildServer|startServer|listen)\(/;

const suite = expect.getState().testPath ?? '';
/**
 * The hostile suites hold the server to twice the 50 ms budget (LOOP_LIMIT_MS);
 * the rest catch a long hold, with room for a fresh app's first request on a
 * busy machine (its views compiled, its code run cold): 146-161 ms were seen
 * there at load 8, under 50 ms on a quiet machine.
 */
const CATCH_ALL_LIMIT_MS = 250;
const HOSTILE = /[\\/]test[\\/]hostile[\\/]/;

if (SERVER_FOLDERS.test(suite) && LOADS_THE_SERVER.test(readFileSync(suite, 'utf8'))) watchEventLoop(HOSTILE.test(suite) ? LOOP_LIMIT_MS : CATCH_ALL_LIMIT_MS);
