/**
 * The pure parts of the real-blogs measure (scripts/real-blogs.ts): what
 * counts as markup left on a page, what a new user copies, what is a post,
 * and an old generator's address.
 */
import { load } from 'cheerio';
import { countMarkers, visibleText } from '../../scripts/real-blogs/markers.js';
import { oldAddress, siteConfig } from '../../scripts/real-blogs/old-addresses.js';
import { copySelection, postsFolder } from '../../scripts/real-blogs/selection.js';
import { notAPost, readSource, titleOf } from '../../scripts/real-blogs/sources.js';

const decode = (html: string): string => load(html, null, false).text();

describe('markers left on a page', () => {
  it('counts other tools’ markers in the visible text, one example per marker', () => {
    const html =
      '<p>!!! note "Heads up"</p><p>::read-more{to="/x"}</p><p>Icon { .lg .middle }</p><p>See [[Other note]] and ++ctrl+c++.</p><p>:::tip</p><p>[!NOTE]</p><p>{{< youtube x >}}</p><p>{ loading=lazy }</p>';
    const { counts, examples } = countMarkers(visibleText(html, decode));
    expect(counts).toEqual({ ':::': 1, '!!!': 1, '[!word]': 1, '[[': 1, ']]': 1, '{{<': 2, '++key++': 1, '{ attr }': 3, '::directive': 1 });
    expect(examples[0]).toMatch(/^:::: .*:::tip/);
  });

  it('leaves out code, formulas and ordinary prose', () => {
    const html =
      '<p>Is it? Really!!! C++ is fine, and so is std::vector.</p><p>CSS has ::after and ::before; math shows \\sum_{i=1}^N when not rendered.</p><pre><code>:::tip [[x]] {% raw %}</code></pre><p><code>++ctrl++</code></p><math><annotation>x_{i=1}</annotation></math>';
    expect(countMarkers(visibleText(html, decode)).counts).toEqual({});
  });
});

describe('what a new user copies', () => {
  it('copies Jekyll’s _posts into content/ and its site-wide assets into content/static/, nothing of the tool', () => {
    const files = [
      '_posts/2020-01-01-a.md',
      '_posts/2020-01-02-b.md',
      'about.md',
      'assets/img/a.png',
      '_layouts/post.html',
      'node_modules/x/README.md',
      'README.md',
    ];
    expect(copySelection(files)).toEqual({
      postsFolder: '_posts',
      copies: [
        { from: '_posts/2020-01-01-a.md', to: '2020-01-01-a.md' },
        { from: '_posts/2020-01-02-b.md', to: '2020-01-02-b.md' },
        { from: 'assets/img/a.png', to: 'static/assets/img/a.png' },
      ],
    });
  });

  it('takes the folder holding nearly all the markdown, and a static/ folder’s files at the site root', () => {
    const posts = Array.from({ length: 8 }, (_, i) => `content/posts/p${i}.md`);
    expect(postsFolder([...posts, 'content/about.md'])).toBe('content');
    const { copies } = copySelection([...posts, 'static/images/x.png', 'public/index.html', 'public/x.png']);
    expect(copies).toContainEqual({ from: 'static/images/x.png', to: 'static/images/x.png' });
    expect(copies.some((copy) => copy.from.startsWith('public/'))).toBe(false);
  });
});

describe('what is a post', () => {
  it('is every markdown file but drafts and empty ones, titled as its old tool would', () => {
    expect(notAPost('a.md', readSource('---\ndraft: true\n---\nText'))).toBe('draft (header)');
    expect(notAPost('a.md', readSource('---\npublished: false\n---\nText'))).toBe('draft (header)');
    expect(notAPost('_drafts/a.md', readSource('Text'))).toBe('draft (_drafts/)');
    expect(notAPost('a.md', readSource('---\nlayout: home\n---\n'))).toBe('empty (no title, no body)');
    expect(notAPost('a.md', readSource('---\ntitle:\ndraft:\n---\nText'))).toBeUndefined();
    expect(titleOf('notes/Привет.md', readSource('# Привет мир\nText'))).toBe('Привет мир');
    expect(titleOf('notes/Привет.md', readSource('+++\ntitle = "T"\n+++\n'))).toBe('T');
  });
});

describe('old addresses', () => {
  it('follows Jekyll’s default rule and Hugo’s section rule', () => {
    const jekyll = siteConfig('jekyll', {});
    expect(oldAddress(jekyll, '_posts/2020-01-02-hello.md', { categories: 'Jekyll update' })).toBe('/jekyll/update/2020/01/02/hello.html');
    const hugo = siteConfig('hugo', { permalinks: { posts: '/:year/:month/:slug/' } });
    expect(oldAddress(hugo, 'content/posts/hello.md', { date: '2021-03-04', slug: 'hi' })).toBe('/2021/03/hi/');
    expect(oldAddress(siteConfig('hugo', {}), 'content/notes/My Note.md', {})).toBe('/notes/my-note/');
  });
});
