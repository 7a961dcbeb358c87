/**
 * `npm run export` as the operator runs it: a real child process, its exit
 * status and what it prints (issue 19: it deleted the content folder when
 * told to export there, and crashed with a stack trace on some posts).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { RunResult } from '../helpers/cli.js';
import { ROOT, TempContent } from '../helpers/site.js';

function runExport(args: readonly string[], options: { cwd: string; env: Record<string, string> }): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'dist', 'cli', 'export.js'), ...args],
      { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', ...options.env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('npm run export', () => {
  let content: TempContent;
  let outRoot: string;
  let env: Record<string, string>;
  beforeEach(() => {
    content = new TempContent();
    content.write('_site.yml', 'title: Site\n');
    content.post('hello.md', { title: 'Hello', publish_date: '2024-01-01' });
    outRoot = mkdtempSync(path.join(tmpdir(), 'lede-export-cli-'));
    env = { CONTENT_DIR: content.dir, SITE_URL: 'https://blog.example.com', LOG_LEVEL: 'silent' };
  });
  afterEach(() => {
    content.cleanup();
    rmSync(outRoot, { recursive: true, force: true });
  });

  it('should refuse the content folder, marker or not, exit 1 and leave every file in place (regression)', async () => {
    writeFileSync(path.join(content.dir, '.lede-export'), '');
    const result = await runExport([content.dir], { cwd: outRoot, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `lede export: refusing to export to ${content.dir}: it is the content folder ${content.dir}, and an export replaces its whole folder; choose a folder outside it, such as ${content.dir}-site\n`,
    );
    expect(readdirSync(content.dir).sort()).toEqual(['.lede-export', '_site.yml', 'hello.md']);
  });

  it('should report a post it cannot write as file:line, skip it, and exit 0 (regression: EISDIR and a stack trace)', async () => {
    content.write('other.md', '---\ntitle: Other\npublish_date: 2024-01-02\naliases: [/404.html]\n---\n\nText.\n');
    const result = await runExport([path.join(outRoot, 'site')], { cwd: content.dir, env });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("lede: other.md:4: /404.html is not exported: it needs a folder 404.html/, but that is the export's own file 404.html\n");
    expect(result.stdout).toMatch(/^lede: exported \d+ pages and files/);
    expect(existsSync(path.join(outRoot, 'site', 'posts', 'other', 'index.html'))).toBe(true);
  });

  it('should write a post whose slug is in another script at its decoded name, as a static server looks it up (issue 29)', async () => {
    content.write('Привет мир.md', '---\ntitle: Привет мир\ndate: 2024-01-03\ntags: [Заметки]\n---\n\nТекст.\n');
    const result = await runExport([path.join(outRoot, 'site')], { cwd: content.dir, env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(existsSync(path.join(outRoot, 'site', 'posts', 'привет-мир', 'index.html'))).toBe(true);
    expect(existsSync(path.join(outRoot, 'site', 'tags', 'заметки', 'index.html'))).toBe(true);
  });
});
