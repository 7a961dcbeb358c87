import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCli, type RunResult } from '../helpers/cli.js';
import { gradientPng } from '../helpers/png.js';
import { TempContent } from '../helpers/site.js';

describe('npm run check, on links and images', () => {
  const content = new TempContent();
  let result: RunResult;
  beforeAll(async () => {
    content.post(
      '2020/post.md',
      { title: 'Post', publish_date: '2020-01-01' },
      '![ok](../images/x.png) [ok](../next.md)\n\n![gone](../images/gone.png)\n\n[lost](../lost.md#part)\n\n<img alt="1 > 0" src="./nothere.png">\n\n[[Nowhere]] and ![[missing.png|300]] but [[Next]]\n\n![up](../../up.png)\n\n[script](tool.py)\n',
    );
    content.write('images/x.png', gradientPng(2, 2));
    content.write('2020/tool.py', 'print(1)\n');
    content.post('next.md', { title: 'Next', publish_date: '2020-01-02' });
    content.post('pages/colophon/index.md', { title: 'Colophon' }, '![logo](logo.png)\n');
    result = await runCli('check', [content.dir], { cwd: content.dir });
  });
  afterAll(() => content.cleanup());

  it('names each reference that leads nowhere, with file:line and the path it tried', () => {
    expect(result.code).toBe(1);
    expect(result.stdout.trimEnd().split('\n').slice(0, -1)).toEqual([
      '2020/post.md:8: image "../images/gone.png" does not exist: tried images/gone.png',
      '2020/post.md:10: link "../lost.md#part" names no post: tried lost.md',
      '2020/post.md:12: image "./nothere.png" does not exist: tried 2020/nothere.png',
      '2020/post.md:14: wikilink [[Nowhere]] names no note or file in the content folder (looked for "Nowhere" by name); it is shown as its text',
      '2020/post.md:14: embed ![[missing.png|300]] names no note or file in the content folder (looked for "missing.png" by name); it is shown as its text',
      '2020/post.md:16: image "../../up.png" climbs out of the content folder; it is left out',
      '2020/post.md:18: link "tool.py" is not served (only media are: images, audio, video, PDF, text, zip, named without a leading . or _): 2020/tool.py',
      'pages/colophon/index.md:5: image "logo.png" does not exist: tried pages/colophon/logo.png',
    ]);
  });
});
