/**
 * Other tools' markup on a served page (issue 29): callouts, directives,
 * tabs, `[[TOC]]`, key marks, attribute lists and Hugo's `{{% %}}` render,
 * with none of their markers left in the page's text; a props block does
 * not reach the table of contents; `npm run check` names an unknown
 * directive with its file and line.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import { HtmlValidate } from 'html-validate';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { checkContent } from '../../src/cli/check-content.js';
import { formatContentError } from '../../src/content/post.js';
import { testWork } from '../helpers/loop-watch.js';
import { TempContent, testApp } from '../helpers/site.js';

const MARKERS = [':::', '!!!', '???', '[!', '===', '[[TOC]]', '[TOC]', '++', '{:', '{{%', '%}}', '{{<', '---'];

const BODY = `Intro paragraph.

[[TOC]]

## GitHub and Obsidian

> [!NOTE]
> A GitHub note.

> [!warning]- Folded Obsidian
> Hidden until opened.

## Docusaurus and VuePress

:::tip Docusaurus title
A Docusaurus tip.
:::

::::info Outer
:::danger
Nested danger.
:::
::::

## MkDocs

!!! note "MkDocs note"
    An indented *note*.

??? question "A question"
    Folded answer.

=== "Python"
    Python tab.

=== "Shell"
    Shell tab.

Press ++ctrl+alt+del++ to restart.

![A chart](https://example.com/chart.png){ loading=lazy }

A styled paragraph.
{: .lead }

## Components

::read-more{to="/posts/other"}
---
title: Read the other post
---
::

::mystery-box
Content of a mystery box.
::

{{% alert title="Hugo alert" color="warning" %}}
A Hugo alert.
{{% /alert %}}
`;

describe('other tools’ markup on a served page', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('markup.md', { title: 'Markup', publish_date: '2024-01-01' }, BODY);
    content.post('pasted.md', { title: 'Pasted', publish_date: '2024-01-02' }, 'Code pasted without a fence:\n\nimport os\nexport PATH=/bin\n');
    content.post('component.mdx', { title: 'Component', publish_date: '2024-01-03' }, "import Tabs from '@theme/Tabs';\n\nText of the MDX post.\n");
    app = testApp(content);
  });
  afterAll(() => content.cleanup());

  it('should render each form, with no marker left in the page text', async () => {
    const res = await request(app).get('/posts/markup');
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    const body = $('.article__body');
    expect(body.find('aside.callout-note > .callout-title').first().text()).toBe('Note');
    expect(body.find('details.callout-warning > summary').text()).toBe('Folded Obsidian');
    expect(body.find('aside.callout-tip > .callout-title').text()).toBe('Docusaurus title');
    expect(body.find('aside.callout-note aside.callout-danger').text()).toContain('Nested danger.');
    expect(body.find('aside.callout-note:contains("MkDocs note") em').text()).toBe('note');
    expect(body.find('details.callout-important > summary').text()).toBe('A question');
    expect(
      body
        .find('section.tab > .tab-label')
        .map((_i, e) => $(e).text())
        .get(),
    ).toEqual(['Python', 'Shell']);
    expect(
      body
        .find('kbd')
        .map((_i, e) => $(e).text())
        .get(),
    ).toEqual(['Ctrl', 'Alt', 'Del']);
    expect(body.find('img[alt="A chart"]')).toHaveLength(1);
    expect(body.find('a[href="/posts/other"]').text()).toBe('Read the other post');
    expect(body.text()).toContain('Content of a mystery box.');
    expect(body.find('aside.callout-warning > .callout-title').text()).toBe('Hugo alert');
    expect(
      body
        .find('nav.toc-inline a')
        .map((_i, e) => $(e).attr('href'))
        .get(),
    ).toEqual(['#github-and-obsidian', '#docusaurus-and-vuepress', '#mkdocs', '#components']);
    const text = $('main').text();
    for (const marker of MARKERS) expect([marker, text.includes(marker)]).toEqual([marker, false]);
    expect(text).not.toMatch(/\{\s*loading|\.lead|mystery-box|read-more|title: /);
  });

  it('should be valid HTML', async () => {
    const validator = new HtmlValidate({
      extends: ['html-validate:recommended'],
      rules: { 'doctype-style': 'off', 'no-trailing-whitespace': 'off', 'long-title': 'off' },
    });
    const res = await request(app).get('/posts/markup');
    const report = await testWork(() => validator.validateString(res.text));
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`))).toEqual([]);
  });

  it('should keep the props block out of the table of contents', async () => {
    const $ = cheerio.load((await request(app).get('/posts/markup')).text);
    expect(
      $('nav.toc li > a')
        .map((_i, e) => $(e).text().trim())
        .get(),
    ).toEqual(['GitHub and Obsidian', 'Docusaurus and VuePress', 'MkDocs', 'Components']);
  });

  it('should keep import and export lines of a plain markdown file as text, and drop those of an .mdx file', async () => {
    const pasted = cheerio
      .load((await request(app).get('/posts/pasted')).text)('.article__body')
      .text();
    expect(pasted).toContain('import os');
    expect(pasted).toContain('export PATH=/bin');
    const mdx = cheerio
      .load((await request(app).get('/posts/component')).text)('.article__body')
      .text();
    expect(mdx).toContain('Text of the MDX post.');
    expect(mdx).not.toContain('import');
  });

  it('should name the unknown directive and the MDX import in check, with file:line', async () => {
    const report = await checkContent(content.dir, 2 * 1024 * 1024, {});
    const lines = report.notices.map(formatContentError);
    const mystery = 6 + BODY.split('\n').indexOf('::mystery-box');
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^markup\\.md:${mystery}: directive ::mystery-box is shown as its content`)));
    expect(lines).toContainEqual(expect.stringMatching(/^component\.mdx:6: MDX import\/export lines are left out/));
    expect(lines.filter((l) => l.startsWith('pasted.md'))).toEqual([]);
    expect(lines.filter((l) => /read-more|tabs|alert/.test(l))).toEqual([]);
  });
});
