/**
 * Debian's Chromium driven by playwright-core, for the browser tests. No
 * browser download: the executable is the system one (`.ci/run` installs it).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { LedeApp } from '../../src/app.js';
import { toolPath } from '../support/required-tools.js';
import { gradientPng } from './png.js';

/** Headless, sandbox off (CI runs as root), and nothing that phones home: the machine has no internet. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** `launch` gives each browser a fresh temporary profile. */
export function launchChromium(): Promise<Browser> {
  const executablePath = toolPath('chromium');
  if (!executablePath) throw new Error('Chromium is not installed: run `apt-get install -y chromium` (.ci/run does this before npm test)');
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/** Starts the app on a free loopback port; resolves to its origin and a close function. */
export async function listen(app: LedeApp): Promise<{ origin: string; server: Server; close: () => Promise<void> }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * What went wrong on a page, as lines a test expects to be empty: console
 * errors (CSP violations among them), uncaught exceptions, failed requests,
 * and error statuses of the responses `counts` accepts (by default, all).
 */
export function recordProblems(page: Page, counts: (url: string) => boolean = () => true): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    if (counts(res.url()) && res.status() >= 400) problems.push(`${res.status()}: ${res.url()}`);
  });
  return problems;
}

/** The image every remote host answers with. */
export const STAND_IN = gradientPng(1600, 900);

/**
 * Answers every request to another host with a local image, so remote hero
 * images (unreachable here) neither fail nor slow the page: the tests then
 * measure Lede, not the network.
 */
export async function standInForRemoteHosts(context: BrowserContext, origin: string): Promise<void> {
  await context.route(
    (url) => url.origin !== origin,
    (route) => route.fulfill({ status: 200, contentType: 'image/png', body: STAND_IN, headers: { 'cache-control': 'max-age=3600' } }),
  );
}
