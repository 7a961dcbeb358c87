/**
 * Dates as other generators write them (issue 15): shown as the calendar day
 * their author wrote, ordered by the instant they stand for.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { TempContent, testApp } from '../helpers/site.js';

describe('dates written with an offset', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    // 24 June 04:56 UTC, written on 23 June in California.
    content.write('west.md', '---\ntitle: West\ndate: 2024-06-23 21:56:58 -0700\n---\nText.\n');
    // 24 June 01:00 UTC: earlier, though its day is later.
    content.write('utc.md', '---\ntitle: UTC\ndate: 2024-06-24T01:00:00Z\n---\nText.\n');
    content.write('toml.md', '+++\ntitle = "TOML"\ndate = 2024-06-22\n+++\nText.\n');
    app = testApp(content, { site: { timezone: 'Asia/Tokyo' } });
  });
  afterAll(() => {
    app.store.close();
    content.cleanup();
  });

  it('should show the day the author wrote and order by the instant', async () => {
    const $ = cheerio.load((await request(app).get('/')).text);
    const cards = $('.card')
      .toArray()
      .map((c) => [$(c).find('.card__title a').text(), $(c).find('time').text()]);
    expect(cards).toEqual([
      ['West', '23 June 2024'],
      ['UTC', '24 June 2024'],
      ['TOML', '22 June 2024'],
    ]);
  });

  it('should keep the offset in the machine-readable date', async () => {
    const $ = cheerio.load((await request(app).get('/posts/west')).text);
    expect($('.byline__date').attr('datetime')).toBe('2024-06-23T21:56:58-07:00');
  });
});
