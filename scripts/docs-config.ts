/**
 * `npm run docs:config`: writes the environment and `_site.yml` tables of
 * docs/configuration.md from the zod schemas (scripts/docs/config-reference.ts).
 * Run it after adding or changing a variable or a setting; the docs test
 * fails until the page matches the schemas.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { regenerate } from './docs/config-reference.js';

const page = fileURLToPath(new URL('../docs/configuration.md', import.meta.url));
const before = readFileSync(page, 'utf8');
const after = regenerate(before);
if (after === before) {
  console.log('docs/configuration.md is up to date');
} else {
  writeFileSync(page, after);
  console.log('docs/configuration.md: tables written from the schemas');
}
