/**
 * `npm run check` names a brand colour that falls short of WCAG AA as given
 * (src/cli/colour-notices.ts): the setting, its line, its contrast and the
 * colour pages show instead. A notice: check still exits 0.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCli, type RunResult } from '../helpers/cli.js';
import { TempContent } from '../helpers/site.js';

describe('npm run check on brand colours', () => {
  const content = new TempContent();
  let result: RunResult;
  beforeAll(async () => {
    content.write('_site.yml', 'title: Site\naccent_color: "#ffd27a"\naccent_color_dark: "#303030"\n');
    content.post('good.md', { title: 'Good', publish_date: '2024-01-01' });
    result = await runCli('check', [content.dir], { cwd: content.dir });
  });
  afterAll(() => content.cleanup());

  it('should name each colour that does not reach 4.5:1, on its line, with what pages show', () => {
    const lines = result.stdout.split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^_site\.yml:2: accent_color #ffd27a has 1\.\d+:1 against the light page, under WCAG AA's 4\.5:1 for text; pages show #[0-9a-f]{6} \(4\.\d+:1\) instead/,
      ),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^_site\.yml:3: accent_color_dark #303030 has 1\.\d+:1 against the dark page.*Choose a lighter colour/));
  });

  it('should still pass', () => expect(result.code).toBe(0));

  it('should say nothing of a colour that reads well', async () => {
    const good = new TempContent();
    good.write('_site.yml', 'title: Site\naccent_color: "#0b6e4f"\n');
    good.post('good.md', { title: 'Good', publish_date: '2024-01-01' });
    const ok = await runCli('check', [good.dir], { cwd: good.dir });
    good.cleanup();
    expect(ok.stdout).not.toContain('accent_color');
  });
});
