import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { TempContent, testApp } from '../helpers/site.js';

/**
 * The moment a future-dated post goes live is decided by the site's time
 * zone (a calendar date goes live at midnight there), and a date with a time
 * and an offset is an exact instant. The clock is the `now` option of
 * createApp, so nothing here depends on when or where the tests run.
 */
describe('when a future-dated post goes live', () => {
  const content = new TempContent();
  let clock = 0;
  let app: LedeApp;
  beforeAll(() => {
    content.post('old.md', { title: 'Old post', publish_date: '2024-01-01' });
    content.post('calendar.md', { title: 'Calendar day', publish_date: '2024-03-10' });
    content.post('exact.md', { title: 'Exact moment', publish_date: '2024-03-10T08:30:00+05:30' });
    content.post('zulu.md', { title: 'Zulu moment', publish_date: '2024-03-11T00:00:00Z' });
    // New York: midnight on 10 March 2024 is 05:00 UTC (EST, UTC-5; DST starts later that night).
    app = testApp(content, { site: { timezone: 'America/New_York' }, env: 'production' }, { now: () => clock });
  });
  afterAll(() => content.cleanup());

  const at = async (iso: string): Promise<{ calendar: number; exact: number; zulu: number; index: string }> => {
    clock = Date.parse(iso);
    const status = async (url: string): Promise<number> => (await request(app).get(url)).status;
    return {
      calendar: await status('/posts/calendar'),
      exact: await status('/posts/exact'),
      zulu: await status('/posts/zulu'),
      index: (await request(app).get('/')).text,
    };
  };

  it('should hide every future post before its moment', async () => {
    const seen = await at('2024-03-10T02:59:59.999Z');
    expect(seen).toMatchObject({ calendar: 404, exact: 404, zulu: 404 });
    expect(seen.index).toContain('Old post');
    expect(seen.index).not.toContain('Calendar day');
  });

  it('should publish a date written with an offset at that exact instant (03:00 UTC)', async () => {
    const seen = await at('2024-03-10T03:00:00.000Z');
    expect(seen).toMatchObject({ calendar: 404, exact: 200 });
    expect(seen.index).toContain('Exact moment');
  });

  it('should keep a calendar date hidden until midnight in the site zone, not in UTC', async () => {
    expect((await at('2024-03-10T00:00:00.000Z')).calendar).toBe(404);
    expect((await at('2024-03-10T04:59:59.999Z')).calendar).toBe(404);
  });

  it('should publish a calendar date at midnight in the site zone (05:00 UTC)', async () => {
    const seen = await at('2024-03-10T05:00:00.000Z');
    expect(seen.calendar).toBe(200);
    expect(seen.index).toContain('Calendar day');
  });

  it('should honour a UTC instant whatever the site zone', async () => {
    expect((await at('2024-03-10T23:59:59.999Z')).zulu).toBe(404);
    const seen = await at('2024-03-11T00:00:00.000Z');
    expect(seen.zulu).toBe(200);
    expect(seen.index).toContain('Zulu moment');
  });

  it('should show the calendar date as written, in the site zone', async () => {
    clock = Date.parse('2024-04-01T00:00:00Z');
    const res = await request(app).get('/posts/calendar');
    expect(res.text).toContain('10 March 2024');
    expect(res.text).toContain('datetime="2024-03-10"');
  });
});

describe('the same date in another site zone', () => {
  const content = new TempContent();
  let clock = 0;
  let app: LedeApp;
  beforeAll(() => {
    content.post('calendar.md', { title: 'Calendar day', publish_date: '2024-03-10' });
    // Tokyo (UTC+9): midnight on 10 March is 15:00 UTC on 9 March.
    app = testApp(content, { site: { timezone: 'Asia/Tokyo' }, env: 'production' }, { now: () => clock });
  });
  afterAll(() => content.cleanup());

  it('should go live at midnight in Tokyo, the day before in UTC', async () => {
    clock = Date.parse('2024-03-09T14:59:59.999Z');
    expect((await request(app).get('/posts/calendar')).status).toBe(404);
    clock = Date.parse('2024-03-09T15:00:00.000Z');
    expect((await request(app).get('/posts/calendar')).status).toBe(200);
  });
});
