#!/usr/bin/env node
/**
 * `npm create lede-blog <folder>`: runs `lede init <folder>` from the Lede
 * this package depends on (the same version), so a new blog is made by the
 * same code that will serve it.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const lede = path.join(path.dirname(require.resolve('lede-blog/package.json')), 'dist', 'lede.js');
const args = process.argv.slice(2);
const result = spawnSync(process.execPath, [lede, 'init', ...(args.length ? args : ['my-blog'])], { stdio: 'inherit' });
process.exitCode = result.status ?? 1;
