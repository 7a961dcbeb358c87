/**
 * Other tools' markup on hostile input (issue 29): a 400 KB line of the
 * markers the new forms read (`:::`, `!!!`, `[!`, `++`, `=== "`, `{:`) is
 * served within the default render budget, as any post: rendered on a
 * thread with the production limit, answered 200 rather than left out as
 * too slow. (Most of the time a line of `[!` takes is marked's own and its
 * footnote and math extensions', as before these forms.)
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { DEFAULT_RENDER_TIMEOUT_MS } from '../../src/config.js';
import { TempContent, testApp } from '../helpers/site.js';

const UNITS: Record<string, string> = {
  colons: ':::',
  bangs: '!!! note ',
  questions: '??? tip "',
  alerts: '> [!NOTE] ',
  callout: '[!',
  keys: '++ctrl+',
  chained: '++a++.',
  tabs: '=== "',
  attrs: '{: .a ',
  directive: '::a{b=',
  toc: '[[TOC]]',
};

describe('hostile other tools’ markup (production render budget)', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    let day = 1;
    for (const [name, unit] of Object.entries(UNITS)) {
      const line = unit.repeat(Math.ceil(400_000 / unit.length));
      content.post(`${name}.md`, { title: name, publish_date: `2024-01-${String(day++).padStart(2, '0')}` }, `${line}\n`);
    }
    app = testApp(content, { env: 'production', renderTimeoutMs: DEFAULT_RENDER_TIMEOUT_MS });
  });
  afterAll(() => content.cleanup());

  it.each(Object.keys(UNITS))('should serve a 400 KB line of %s within the budget', async (name) => {
    expect((await request(app).get(`/posts/${name}`)).status).toBe(200);
  });

  it('should count no post over its budget', async () => {
    expect((await request(app).get('/healthz')).body).toMatchObject({ errors: 0 });
  });
});
