/**
 * The documentation as a spec: every example in README.md, CHANGELOG.md and
 * docs/*.md runs (the rule for marking one is at the top of
 * test/docs/doc-examples.ts and in docs/README.md), and every relative link
 * leads to a file of the repository, and to a heading when it names one.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { brokenLinks, documentationFiles, examples, ROOT, runExample, Sandbox } from './doc-examples.js';

const files = documentationFiles();

describe('the documentation', () => {
  it('has a README, a changelog and the topic pages', () => {
    const names = files.map((f) => path.relative(ROOT, f));
    expect(names).toEqual(expect.arrayContaining(['README.md', 'CHANGELOG.md', 'docs/README.md', 'docs/configuration.md']));
  });

  // The front page stays a front page: the issue that made it asked for two screens, about 10 KB.
  it('keeps README.md short, its Quick start showing a new blog, an existing one, and the two commands of a clone', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(Buffer.byteLength(readme)).toBeLessThan(10 * 1024);
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('\n## ', readme.indexOf('## Quick start') + 1));
    expect(quickStart).toMatch(/^npm create lede-blog my-blog/m);
    expect(quickStart).toMatch(/^npx lede-blog serve /m);
    expect(quickStart).toMatch(/^```sh\nnpm install && npm start .*\nnpm test .*\n```/m);
  });

  describe.each(files.map((file) => [path.relative(ROOT, file), file] as const))('%s', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const found = examples(text);
    const sandbox = new Sandbox();
    afterAll(() => sandbox.cleanup());

    it('has only relative links that resolve', () => {
      expect(brokenLinks(file, text)).toEqual([]);
    });

    // The blocks of a page share its sandbox and run in the page's order.
    if (found.length > 0) {
      it.each(found.map((example) => [`line ${example.fence.line}: ${example.fence.lang} ${example.fence.words.join(' ')}`, example] as const))(
        'example at %s works',
        async (_label, example) => {
          expect(await runExample(example, sandbox)).toEqual([]);
        },
        60_000,
      );
    }
  });
});
