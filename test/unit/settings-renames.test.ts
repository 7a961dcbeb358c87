/**
 * A setting renamed by a release is read under its old name, with a notice
 * naming the line and the name to write (src/settings-renames.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readRenamed, type RenamedSetting } from '../../src/settings-renames.js';
import { readSettingsFile } from '../../src/settings.js';

const RENAMES: readonly RenamedSetting[] = [{ old: 'postsPerPage', now: 'posts_per_page', since: '1.0.0' }];

describe('renamed settings', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lede-renames-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should read an old name as the new one, and say on which line and what to write', () => {
    writeFileSync(path.join(dir, '_site.yml'), 'title: A blog\npostsPerPage: 5\n');
    const read = readSettingsFile(dir, RENAMES);
    expect(read.problems).toEqual([]);
    expect(read.settings.posts_per_page).toBe(5);
    expect(read.notices).toEqual([
      { file: '_site.yml', line: 2, message: expect.stringMatching(/^`postsPerPage` was renamed `posts_per_page` in Lede 1\.0\.0: .*write `posts_per_page`$/) },
    ]);
  });

  it('should keep the new name when both are written, and say the old one is ignored', () => {
    writeFileSync(path.join(dir, '_site.yml'), 'posts_per_page: 7\npostsPerPage: 5\n');
    const read = readSettingsFile(dir, RENAMES);
    expect(read.settings.posts_per_page).toBe(7);
    expect(read.notices).toEqual([{ file: '_site.yml', line: 2, message: expect.stringMatching(/is ignored; remove it$/) }]);
  });

  it('should refuse an old name when no rename is in force, as any unknown setting', () => {
    writeFileSync(path.join(dir, '_site.yml'), 'postsPerPage: 5\n');
    const read = readSettingsFile(dir, []);
    expect(read.notices).toEqual([]);
    expect(read.problems).toEqual([{ file: '_site.yml', line: 1, message: expect.stringMatching(/postsPerPage/) }]);
  });

  it('should leave anything that is not a mapping to the settings schema', () => {
    expect(readRenamed(['a'], RENAMES)).toEqual({ data: ['a'], notices: [] });
    expect(readRenamed(null, RENAMES)).toEqual({ data: null, notices: [] });
  });
});
