/** Temporary content folders and apps built on them, for tests. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, cpSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { createApp, type AppOptions, type LedeApp } from '../../src/app.js';
import { makeConfig, type Config, type SiteSettings } from '../../src/config.js';
import { parsePost } from '../../src/content/parse-post.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The bundled sample article: a bundle, its markdown and its images in one folder. */
export const SAMPLE_DIR = path.join(ROOT, 'content', 'deepseek-rising-challenger');
export const SAMPLE = path.join(SAMPLE_DIR, 'index.md');

export class TempContent {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'lede-test-'));

  /** Writes `relPath` (folders created), returning its absolute path. */
  write(relPath: string, text: string | Buffer): string {
    const file = path.join(this.dir, relPath);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  }

  /** Writes a post with the given frontmatter and body. */
  post(relPath: string, frontmatter: Record<string, unknown>, body = 'Some text for the post body.\n'): string {
    const yaml = Object.entries(frontmatter)
      .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
      .join('\n');
    return this.write(relPath, `---\n${yaml}\n---\n\n${body}`);
  }

  /** Copies the sample bundle (its images too), returning the path of its markdown. */
  copySample(): string {
    const dir = path.join(this.dir, path.basename(SAMPLE_DIR));
    cpSync(SAMPLE_DIR, dir, { recursive: true });
    return path.join(dir, 'index.md');
  }

  remove(relPath: string): void {
    rmSync(path.join(this.dir, relPath), { recursive: true, force: true });
  }

  /** Moves a file's mtime, as a save a second later would. */
  touch(relPath: string, secondsAhead = 2): void {
    const when = new Date(Date.now() + secondsAhead * 1000);
    utimesSync(path.join(this.dir, relPath), when, when);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function testConfig(contentDir: string, overrides: Partial<Omit<Config, 'site'>> & { site?: Partial<SiteSettings> } = {}): Config {
  return makeConfig({ contentDir, ...overrides });
}

export function testApp(content: TempContent, overrides: Parameters<typeof testConfig>[1] = {}, options: AppOptions = {}): LedeApp {
  return createApp(testConfig(content.dir, overrides), options);
}

/**
 * Polls `check` until it passes or `timeoutMs` runs out: a deadline, not a
 * pause, so it is generous (on a quiet machine a check passes in a few
 * tries; with two CPU hogs beside the suite a watch event can take seconds).
 */
export async function eventually(check: () => Promise<void>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * Counters for tests, kept outside the production classes: each spies on the
 * method that does the work and counts the calls from the moment it is made.
 */
function countFromNow(count: () => number): () => number {
  const start = count();
  return () => count() - start;
}

/** Requests the front cache answered (`cache.serve` returned true). */
export function frontCacheHits(app: LedeApp): () => number {
  const serve = jest.spyOn(app.cache, 'serve');
  return countFromNow(() => serve.mock.results.filter((r) => r.type === 'return' && r.value === true).length);
}

/** Articles rendered. */
export function articleRenders(app: LedeApp): () => number {
  const article = jest.spyOn(app.renderer, 'article');
  return countFromNow(() => article.mock.calls.length);
}

/** A post parser that counts its calls: pass `parse` to `testApp`/`ContentStore`, read `count()`. */
export function countingParser(): { parse: typeof parsePost; count: () => number } {
  const parse = jest.fn(parsePost);
  return { parse, count: () => parse.mock.calls.length };
}
