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
if (SERVER_FOLDERS.test(suite) && LOADS_THE_SERVER.test(readFileSync(suite, 'utf8'))) watchEventLoop();
