/**
 * docs/configuration.md is generated from the zod schemas (`npm run
 * docs:config`): it fails here as soon as a variable or a setting changes
 * and the page was not written again.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ENV_DOCS, environmentTable, regenerate, SETTING_DOCS, settingsTable } from '../../scripts/docs/config-reference.js';
import { ROOT } from '../helpers/site.js';

const page = path.join(ROOT, 'docs', 'configuration.md');

describe('docs/configuration.md', () => {
  it('holds the tables the schemas make now (run `npm run docs:config` when this fails)', () => {
    const text = readFileSync(page, 'utf8');
    expect(regenerate(text)).toBe(text);
  });

  it('names every environment variable and every setting', () => {
    const environment = environmentTable();
    for (const name of Object.keys(ENV_DOCS)) expect(environment).toContain(`| \`${name}\` |`);
    const settings = settingsTable();
    for (const name of Object.keys(SETTING_DOCS)) expect(settings).toContain(`| \`${name}\` |`);
  });

  it('takes defaults and bounds from the schemas', () => {
    expect(environmentTable()).toContain('| `PORT` | an integer from 0 to 65535 | `3000` |');
    expect(settingsTable()).toContain('| `posts_per_page` | an integer from 1 to 100 | `10` |');
  });

  it('fails when a table was edited by hand', () => {
    const text = readFileSync(page, 'utf8').replace('| `PORT` | an integer from 0 to 65535 | `3000` |', '| `PORT` | an integer | `8080` |');
    expect(regenerate(text)).not.toBe(text);
  });

  it('refuses a page whose markers are gone', () => {
    expect(() => regenerate('# Configuration\n')).toThrow(/markers/);
  });
});
