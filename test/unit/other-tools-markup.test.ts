/**
 * Other tools' markup (issue 29): each form as a post body goes through the
 * store's translation and the renderer, as a served page does, and comes
 * out as HTML with none of its markers left.
 */
import { describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import { translateMarkup } from '../../src/content/foreign-markup.js';
import { plainText } from '../../src/content/text.js';
import { render } from '../../src/render/markdown.js';

const options = { postPath: (name: string) => `/posts/${name}` };
const page = (body: string, mdx = false) => {
  const { markdown, notices } = translateMarkup(body, { ...options, mdx });
  const rendered = render(markdown);
  return { ...rendered, notices, $: cheerio.load(rendered.html) };
};
const MARKERS = /:::|!!!|\?\?\?|\[!|===|\[\[TOC\]\]|\[TOC\]|\+\+|\{:|\{\{%|\{%/;

describe('callouts', () => {
  it.each([
    ['GitHub', '> [!NOTE]\n> Body *text*.', 'aside.callout.callout-note', 'Note'],
    ['GitHub with a title', '> [!WARNING] Mind the gap\n> Body *text*.', 'aside.callout.callout-warning', 'Mind the gap'],
    ['Obsidian, any type', '> [!recipe] Soup\n> Body *text*.', 'aside.callout.callout-note', 'Soup'],
    ['Docusaurus', ':::tip Title here\nBody *text*.\n:::', 'aside.callout.callout-tip', 'Title here'],
    ['Docusaurus 3 label', ':::danger[Take care]\nBody *text*.\n:::', 'aside.callout.callout-danger', 'Take care'],
    ['VuePress', '::: warning\nBody *text*.\n:::', 'aside.callout.callout-warning', 'Warning'],
    ['MkDocs', '!!! note "Title here"\n    Body *text*.\n\nAfter.', 'aside.callout.callout-note', 'Title here'],
    ['MkDocs without a title', '!!! example\n    Body *text*.', 'aside.callout.callout-important', 'Example'],
    ['Hugo', '{{% alert title="Heads up" color="warning" %}}\nBody *text*.\n{{% /alert %}}', 'aside.callout.callout-warning', 'Heads up'],
    ['Hugo notice', '{{< notice tip >}}\nBody *text*.\n{{< /notice >}}', 'aside.callout.callout-tip', 'Tip'],
    ['Hexo', '{% note info %}\nBody *text*.\n{% endnote %}', 'aside.callout.callout-note', 'Info'],
    ['MDC', '::alert{type="danger"}\nBody *text*.\n::', 'aside.callout.callout-danger', 'Danger'],
  ])('should render a %s callout as an aside with its title and markdown inside', (_form, body, selector, title) => {
    const { $, html } = page(body);
    expect($(selector)).toHaveLength(1);
    expect($(`${selector} > .callout-title`).text()).toBe(title);
    expect($(`${selector} em`).text()).toBe('text');
    expect($.root().text()).not.toMatch(MARKERS);
    expect(html).not.toContain('<blockquote');
  });

  it.each([
    ['Obsidian folded', '> [!info]- Click me\n> Body *text*.', false],
    ['Obsidian open', '> [!tip]+ Click me\n> Body *text*.', true],
    ['MkDocs folded', '??? tip "Click me"\n    Body *text*.', false],
    ['MkDocs open', '???+ tip "Click me"\n    Body *text*.', true],
    ['VuePress details', '::: details Click me\nBody *text*.\n:::', false],
  ])('should render a %s callout as details with its summary', (_form, body, open) => {
    const { $ } = page(body);
    expect($('details.callout > summary.callout-title').text()).toBe('Click me');
    expect($('details.callout').attr('open') !== undefined).toBe(open);
    expect($('details.callout em').text()).toBe('text');
    expect($.root().text()).not.toMatch(MARKERS);
  });

  it('should nest: Docusaurus with more colons outside, MkDocs by indentation, quotes in quotes', () => {
    const docusaurus = page('::::info Outer\n:::tip Inner\nIn.\n:::\nStill outer.\n::::\n\nAfter.').$;
    expect(docusaurus('aside.callout-note aside.callout-tip p:not(.callout-title)').text()).toBe('In.');
    expect(docusaurus('aside.callout-note > p').last().text()).toBe('Still outer.');
    expect(docusaurus('body > p').last().text()).toBe('After.');
    const mkdocs = page('!!! note\n    Outer.\n\n    !!! warning "Inner"\n        In.\n\nAfter.').$;
    expect(mkdocs('aside.callout-note aside.callout-warning > .callout-title').text()).toBe('Inner');
    expect(mkdocs('body > p').last().text()).toBe('After.');
    const quotes = page('> [!NOTE]\n> Outer.\n>\n> > [!CAUTION]\n> > In.').$;
    expect(quotes('aside.callout-note aside.callout-warning').text()).toContain('In.');
  });

  it("should leave out MkDocs Material's icons and an emoji code's attribute list, naming the icon", () => {
    const { $, notices } = page('See :fontawesome-brands-github:{ .lg .middle } GitHub, :material-clock: soon, and :one:{style="border-radius:1em;"} first.');
    expect($.text().trim()).toBe('See  GitHub,  soon, and :one: first.');
    expect(notices).toEqual([{ line: 1, message: "icon :fontawesome-brands-github: is left out (MkDocs Material's icons are its own)" }]);
  });

  it('should read MkDocs admonitions and tabs indented in a list item, and leave an indented code block that shows them code', () => {
    const { $ } = page(
      '1. Make it:\n\n    === "Windows"\n        `py -m venv .venv`\n    === "Linux"\n        `python3 -m venv .venv`\n\n2. Then:\n\n    !!! warning "Careful"\n        Hide it.\n\nThe syntax:\n\n    !!! note\n        shown as code\n',
    );
    expect(
      $('ol > li')
        .first()
        .find('section.tab .tab-label')
        .map((_i, el) => $(el).text())
        .get(),
    ).toEqual(['Windows', 'Linux']);
    expect($('ol > li').last().find('aside.callout-warning > .callout-title').text()).toBe('Careful');
    expect($('pre code').text()).toBe('!!! note\n    shown as code\n');
    expect($('ol').text()).not.toMatch(MARKERS);
  });

  it('should read lines a Windows editor saved (CRLF) as any others', () => {
    const { $, notices } = page('::: tip Title\r\nText.\r\n:::\r\n\r\n!!! warning "Careful"\r\n    Body.\r\n');
    expect($('aside.callout-tip > .callout-title').text()).toBe('Title');
    expect($('aside.callout-warning > .callout-title').text()).toBe('Careful');
    expect($.text()).not.toMatch(MARKERS);
    expect(notices).toEqual([]);
  });

  it('should keep a callout of a code fence as written, and a plain blockquote a blockquote', () => {
    const { $ } = page('```md\n> [!NOTE]\n:::tip\n!!! note\n```\n\n> Just a quote [!not] a callout.');
    expect($('pre code').text()).toBe('> [!NOTE]\n:::tip\n!!! note\n');
    expect($('aside')).toHaveLength(0);
    expect($('blockquote').text()).toContain('Just a quote');
  });
});

describe('directives', () => {
  it('should show an unknown directive’s content without its markers, and name it with its line', () => {
    const { $, notices } = page('Intro.\n\n:::custom-box{.wide}\nInside *here*.\n:::\n\n::embed{src="x"}\n');
    expect($('em').text()).toBe('here');
    expect($.root().text()).not.toMatch(/::|custom-box|embed/);
    expect(notices).toEqual([
      { line: 3, message: expect.stringMatching(/directive :::custom-box is shown as its content/) },
      { line: 7, message: expect.stringMatching(/directive ::embed /) },
    ]);
  });

  it('should read a Nuxt/MDC props block as props, not as a setext heading in the table of contents', () => {
    const { $, outline } = page('## One\n\n::read-more\n---\nto: /posts/next\ntitle: Go on\n---\n::\n\n## Two\n');
    expect($('a[href="/posts/next"]').text()).toBe('Go on');
    expect(outline.map((h) => h.text)).toEqual(['One', 'Two']);
    expect($.root().text()).not.toMatch(/---|to:/);
  });

  it('should keep prose that starts with two colons, and show an unknown directive’s title', () => {
    const { $ } = page(':: An aside in prose.\n\n:::spoiler Click to see\nThe spoiler.\n:::');
    expect(
      $('p')
        .map((_i, e) => $(e).text())
        .get(),
    ).toEqual([':: An aside in prose.', 'Click to see', 'The spoiler.']);
  });

  it('should show an inline directive’s label as its text and name it', () => {
    const { $, notices } = page('Styles with :abbr[CSS]{title="Cascading"} and a time: 10:30 [link](x).');
    expect($('p').text()).toBe('Styles with CSS and a time: 10:30 link.');
    expect(notices.map((n) => n.message)).toEqual([expect.stringMatching(/directive :abbr/)]);
  });

  it('should give tabs their label over their content, stacked, MkDocs and Docusaurus-style alike', () => {
    const mkdocs = page('=== "Python"\n    ```py\n    print(1)\n    ```\n\n=== "Shell"\n    Run *it*.\n').$;
    expect(
      mkdocs('section.tab > p.tab-label')
        .map((_i, e) => mkdocs(e).text())
        .get(),
    ).toEqual(['Python', 'Shell']);
    expect(mkdocs('section.tab pre code').text()).toContain('print(1)');
    expect(mkdocs.root().text()).not.toMatch(MARKERS);
    const directive = page('::::tabs\n:::tab[npm]\nnpm i\n:::\n:::tab{label="yarn"}\nyarn add\n:::\n::::').$;
    expect(
      directive('section.tab > p.tab-label')
        .map((_i, e) => directive(e).text())
        .get(),
    ).toEqual(['npm', 'yarn']);
    const mdx = page(
      '<Tabs groupId="pm">\n  <TabItem value="npm" label="npm" default>\n\n```sh\nnpm i\n```\n\n  </TabItem>\n  <TabItem value="yarn">\n\nWith *yarn*.\n\n  </TabItem>\n</Tabs>\n',
      true,
    );
    expect(
      mdx
        .$('section.tab > p.tab-label')
        .map((_i, e) => mdx.$(e).text())
        .get(),
    ).toEqual(['npm', 'yarn']);
    expect(mdx.$('section.tab em').text()).toBe('yarn');
    expect(mdx.notices).toEqual([]);
  });
});

describe('[[TOC]], keys and attribute lists', () => {
  it('should put the table of contents where [[TOC]] or [TOC] stands', () => {
    for (const marker of ['[[TOC]]', '[TOC]', '[[_TOC_]]'.replace('_TOC_', 'toc')]) {
      const { $ } = page(`Intro.\n${marker}\n\n## First\n\n### Sub\n\n## Second\n`);
      expect(
        $('nav.toc-inline > ul > li > a')
          .map((_i, e) => $(e).attr('href'))
          .get(),
      ).toEqual(['#first', '#second']);
      expect($('nav.toc-inline li li a').attr('href')).toBe('#sub');
      expect($.root().text()).not.toMatch(/TOC/i);
    }
  });

  it('should read kramdown’s `* TOC` `{:toc}` as the table of contents', () => {
    const { $ } = page('* Contents\n{:toc}\n\n## First\n\n## Second {:.no_toc}\n');
    expect(
      $('nav.toc-inline a')
        .map((_i, e) => $(e).attr('href'))
        .get(),
    ).toEqual(['#first', '#second']);
    expect($('ul:not(nav ul)')).toHaveLength(0);
  });

  it('should render ++key++ marks as kbd and leave C++ and code alone', () => {
    const { html } = page('Quit with ++ctrl+q++, reboot with ++ctrl+alt+del++; C++ and `++x++` stay.');
    expect(html).toContain('<kbd>Ctrl</kbd>+<kbd>Q</kbd>');
    expect(html).toContain('<kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>Del</kbd>');
    expect(html).toContain('C++ and <code>++x++</code> stay');
    expect(page('End with ++ctrl+c++. Or ++alt++, then ++shift+tab++!').html).toContain(
      'End with <kbd>Ctrl</kbd>+<kbd>C</kbd>. Or <kbd>Alt</kbd>, then <kbd>Shift</kbd>+<kbd>Tab</kbd>!',
    );
  });

  it('should drop attribute lists after images, headings and paragraphs, and keep braces that are not one', () => {
    const { $, outline } = page('![a](a.png){ loading=lazy }\n\n## Title {#custom .cls}\n\nA paragraph.\n{: .note }\n\nA set {1, 2} and `{: .x }` in code.');
    expect($('img').attr('src')).toBe('a.png');
    expect(outline.map((h) => h.text)).toEqual(['Title']);
    expect($('p').eq(1).text()).toBe('A paragraph.');
    expect($('p').last().text()).toBe('A set {1, 2} and {: .x } in code.');
    // TeX's escaped braces are no attribute list.
    expect(translateMarkup('$$\n\\{x=1\\}\n$$', options).markdown).toBe('$$\n\\{x=1\\}\n$$');
  });

  it('should render Hugo {{% %}} shortcodes as {{< >}} ones, without stray braces', () => {
    const { html, notices } = page('A {{% ref "other" %}} link, a {{% figure src="a.png" alt="A" %}} and {{% unknown %}}.');
    expect(html).toContain('/posts/other');
    expect(html).toContain('<img src="a.png" alt="A"');
    expect(html).not.toMatch(/\{<code|<\/code>\}/);
    expect(notices.map((n) => n.message)).toEqual([expect.stringMatching(/Hugo shortcode \{\{% unknown %\}\}/)]);
  });
});

describe('summaries', () => {
  it('should read the text of each form, not its markers', () => {
    const body =
      '> [!NOTE] Heads up\n> Body one.\n\n[[TOC]]\n\n:::tip Title\nBody two.\n:::\n\n!!! warning "W"\n    Body three.\n\nPress ++ctrl+q++.\n\n![a](a.png){ loading=lazy }\n';
    const text = plainText(translateMarkup(body, options).markdown);
    expect(text).toContain('Body one.');
    expect(text).toContain('Body three.');
    expect(text).toContain('ctrl+q');
    expect(text).not.toMatch(MARKERS);
    expect(text).not.toMatch(/TOC|loading/);
  });
});
