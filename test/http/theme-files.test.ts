/**
 * A theme's files are judged by their real target and opened without
 * blocking (docs/themes.md, "What a theme may hold"): a symlink out of the
 * theme serves nothing, and a FIFO named like a stylesheet or a view is a
 * named error at once, never a request (or the event loop) that waits.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { pino, type Logger } from 'pino';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { TempContent, testApp } from '../helpers/site.js';

const SECRET = 'root:x:0:0:secret-outside-the-theme';
/** A 3 MB font: streamed from its judged handle, whole and byte for byte. */
const FONT = Buffer.from(Array.from({ length: 3 * 1024 * 1024 }, (_, i) => (i * 31) & 0xff));

/** Lets go of anything that opened the FIFO to read it and waits for a writer (the code before this fix did). */
function releaseFifo(fifo: string): void {
  try {
    closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {
    // ENXIO: nobody is waiting to read it, as it should be.
  }
}

describe('theme files judged by their real target', () => {
  const content = new TempContent();
  const theme = new TempContent();
  const outside = new TempContent();
  const { logger, lines: warnings } = capturingLogger();
  let app: LedeApp;
  const fifos: string[] = [];

  beforeAll(() => {
    content.post('hello.md', { title: 'Hello', publish_date: '2024-01-01' });
    const secret = outside.write('passwd', `${SECRET}\n`);
    theme.write('assets/real.css', 'body { color: teal; }\n');
    theme.write('assets/font.woff2', FONT);
    symlinkSync(secret, path.join(theme.dir, 'assets', 'x.css'));
    symlinkSync(path.join(theme.dir, 'assets', 'real.css'), path.join(theme.dir, 'assets', 'inside.css'));
    app = testApp(content, { themeDir: theme.dir }, { logger });
  });
  afterEach(() => {
    for (const fifo of fifos) releaseFifo(fifo);
  });
  afterAll(() => {
    app.store.close();
    app.pages.close();
    content.cleanup();
    theme.cleanup();
    outside.cleanup();
  });

  it('should stream a large asset whole, with its length, and answer HEAD without a body', async () => {
    const res = await request(app)
      .get('/_lede/font.woff2')
      .buffer(true)
      .parse((stream, done) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect([res.status, res.headers['content-length']]).toEqual([200, String(FONT.length)]);
    expect(Buffer.compare(res.body as Buffer, FONT)).toBe(0);
    const head = await request(app).head('/_lede/font.woff2');
    expect([head.status, head.headers['content-length']]).toEqual([200, String(FONT.length)]);
  });

  it('should answer 404 for an asset that links out of the theme, and name it in the log; a link inside is served', async () => {
    const res = await request(app).get('/_lede/x.css');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain(SECRET);
    expect(warnings.join('\n')).toMatch(/x\.css.*outside its theme folder/);
    const inside = await request(app).get('/_lede/inside.css');
    expect(inside.status).toBe(200);
    expect(inside.text).toBe('body { color: teal; }\n');
  });

  it('should answer 404 at once for a FIFO named assets/y.css, naming it, and go on serving', async () => {
    const fifo = path.join(theme.dir, 'assets', 'y.css');
    execFileSync('mkfifo', [fifo]);
    fifos.push(fifo);
    const res = await request(app).get('/_lede/y.css').timeout(5000);
    expect(res.status).toBe(404);
    expect(warnings.join('\n')).toMatch(/y\.css is a FIFO, not a regular file/);
    expect((await request(app).get('/_lede/real.css')).status).toBe(200);
  });
});

describe('theme views judged by their real target', () => {
  const content = new TempContent();
  const outside = new TempContent();
  let theme: TempContent;
  let app: LedeApp | undefined;
  const fifos: string[] = [];
  const { logger, lines: logged } = capturingLogger();

  beforeAll(() => {
    content.post('hello.md', { title: 'Hello', publish_date: '2024-01-01' });
    outside.write('footer.ejs', `<footer>${SECRET}</footer>\n`);
  });
  afterEach(() => {
    for (const fifo of fifos.splice(0)) releaseFifo(fifo);
    app?.store.close();
    app?.pages.close();
    theme.cleanup();
  });
  afterAll(() => {
    content.cleanup();
    outside.cleanup();
  });

  it('should refuse a view that links out of the theme, with an error naming it, and show nothing of it', async () => {
    theme = new TempContent();
    theme.write('views/partials/header.ejs', '<header>theme header</header>\n');
    symlinkSync(path.join(outside.dir, 'footer.ejs'), path.join(theme.dir, 'views', 'partials', 'footer.ejs'));
    app = testApp(content, { themeDir: theme.dir }, { logger });
    const res = await request(app).get('/posts/hello');
    expect(res.status).toBe(500);
    expect(res.text).not.toContain(SECRET);
    expect(logged.join('\n')).not.toContain(SECRET);
    expect(logged.join('\n')).toMatch(/footer\.ejs is a symlink to a place outside its theme folder/);
  });

  it('should refuse a FIFO named like a view at once, with an error naming it', async () => {
    theme = new TempContent();
    theme.write('views/partials/header.ejs', '<header>theme header</header>\n');
    const fifo = path.join(theme.dir, 'views', 'partials', 'footer.ejs');
    execFileSync('mkfifo', [fifo]);
    fifos.push(fifo);
    app = testApp(content, { themeDir: theme.dir }, { logger });
    const res = await request(app).get('/posts/hello').timeout(5000);
    expect(res.status).toBe(500);
    expect(logged.join('\n')).toMatch(/footer\.ejs is a FIFO, not a regular file/);
  });
});

/** A pino logger whose warnings and errors are kept as lines of JSON. */
function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) }), lines };
}
