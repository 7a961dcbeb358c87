/**
 * Development mode in Chromium: an open page picks up an edit of its post
 * and of the settings, and reconnects after a server restart, with no
 * navigation by the test.
 *
 * @requires chromium
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import type { LedeApp } from '../../src/app.js';
import { launchChromium } from '../helpers/browser.js';
import { eventually, TempContent, testApp } from '../helpers/site.js';

/** Marks the page's window: a reload starts a new window without the mark. */
const mark = (page: Page): Promise<void> => page.evaluate(() => void ((window as unknown as { ledeMark?: boolean }).ledeMark = true));
const marked = (page: Page): Promise<boolean> => page.evaluate(() => (window as unknown as { ledeMark?: boolean }).ledeMark === true);

describe('live reload in Chromium', () => {
  const content = new TempContent();
  let browser: Browser;
  let app: LedeApp;
  let server: Server;
  let port: number;
  let page: Page;
  const problems: string[] = [];

  const start = async (listenPort: number): Promise<void> => {
    app = testApp(content, { env: 'development' });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  };
  const stop = async (): Promise<void> => {
    app.liveReload?.close();
    app.store.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };

  beforeAll(async () => {
    content.write('_site.yml', 'title: Before Title\n');
    content.post('post.md', { title: 'Post', publish_date: '2024-01-01' }, 'The first text.');
    content.post('other.md', { title: 'Other', publish_date: '2024-01-02' }, 'Other text.');
    await start(0);
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/ERR_CONNECTION_REFUSED|net::ERR/.test(msg.text())) problems.push(msg.text());
    });
    await page.goto(`http://127.0.0.1:${port}/posts/post`, { waitUntil: 'load' });
    // The stream is open once the server counts the page.
    await eventually(async () => expect(app.liveReload!.openPages).toBe(1));
  });
  afterAll(async () => {
    await browser?.close();
    await stop();
    content.cleanup();
  });

  it('should show an edit of its post by itself', async () => {
    await mark(page);
    content.post('post.md', { title: 'Post', publish_date: '2024-01-01' }, 'The second text.');
    await page.waitForFunction(() => document.body.textContent?.includes('The second text.'), undefined, { timeout: 30_000 });
    expect(await marked(page)).toBe(false);
  });

  it('should show a settings edit by itself', async () => {
    await mark(page);
    content.write('_site.yml', 'title: After Title\n');
    await page.waitForFunction(() => document.title.includes('After Title'), undefined, { timeout: 30_000 });
    expect(await marked(page)).toBe(false);
  });

  it('should reload after the server restarts, and keep listening', async () => {
    await mark(page);
    await stop();
    content.post('post.md', { title: 'Post', publish_date: '2024-01-01' }, 'Text written while the server was down.');
    await start(port);
    await page.waitForFunction(() => document.body.textContent?.includes('while the server was down'), undefined, { timeout: 30_000 });
    expect(await marked(page)).toBe(false);
    await eventually(async () => expect(app.liveReload!.openPages).toBe(1));
    content.post('post.md', { title: 'Post', publish_date: '2024-01-01' }, 'And again after the restart.');
    await page.waitForFunction(() => document.body.textContent?.includes('again after the restart'), undefined, { timeout: 30_000 });
  });

  it('should have run without script errors', () => {
    expect(problems).toEqual([]);
  });
});
