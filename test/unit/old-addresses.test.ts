/**
 * Old addresses (src/content/site-layout/permalinks.ts): each generator's
 * permalink rule, from its config or its documented default, expanded for
 * one post.
 */
import { describe, expect, it } from '@jest/globals';
import { parseDate, type PostDate } from '../../src/content/dates.js';
import {
  astroRule,
  docusaurusBlogRule,
  eleventyRule,
  hexoRule,
  hugoRule,
  jekyllPattern,
  jekyllRule,
  pathRule,
  zolaRule,
  type PostFacts,
} from '../../src/content/site-layout/permalinks.js';

function date(text: string, zone = 'UTC'): PostDate {
  return parseDate(text, zone)!;
}

function facts(path: string, header: Record<string, unknown> = {}, when = '2021-03-04', zone = 'UTC'): PostFacts {
  return { path, header, published: date(when, zone), zone, title: String(header.title ?? 'A title') };
}

describe('Jekyll', () => {
  it('uses the `date` style by default: /:categories/:year/:month/:day/:title.html, categories in lower case', () => {
    const rule = jekyllRule(jekyllPattern(undefined));
    expect(rule(facts('2021-03-04-low-tide.md', { categories: 'Rockpools Tides' }))).toBe('/rockpools/tides/2021/03/04/low-tide.html');
    expect(rule(facts('2021-03-04-low-tide.md', { categories: ['Field', 'notes'] }))).toBe('/field/notes/2021/03/04/low-tide.html');
    expect(rule(facts('2021-03-04-low-tide.md'))).toBe('/2021/03/04/low-tide.html');
  });

  it('puts the folders above a nested _posts/ first among the categories', () => {
    expect(jekyllRule(jekyllPattern(undefined), ['Blog'])(facts('2021-03-04-a.md', { categories: 'tides' }))).toBe('/blog/tides/2021/03/04/a.html');
  });

  it('knows the named styles pretty, ordinal and none', () => {
    expect(jekyllRule(jekyllPattern('pretty'))(facts('2021-03-04-a-b.md'))).toBe('/2021/03/04/a-b/');
    expect(jekyllRule(jekyllPattern('ordinal'))(facts('2021-03-04-a-b.md'))).toBe('/2021/063/a-b.html');
    expect(jekyllRule(jekyllPattern('none'))(facts('2021-03-04-a-b.md'))).toBe('/a-b.html');
  });

  it("keeps the file name's case in :title and puts it in lower case in :slug; a frontmatter slug wins", () => {
    expect(jekyllRule('/:title/')(facts('2021-03-04-Low-Tide.md'))).toBe('/Low-Tide/');
    expect(jekyllRule('/:slug/')(facts('2021-03-04-Low-Tide.md'))).toBe('/low-tide/');
    expect(jekyllRule('/:title/')(facts('2021-03-04-low-tide.md', { slug: 'ebb' }))).toBe('/ebb/');
  });

  it("puts a post with a time of day on the day it is in the site's time zone", () => {
    const post = facts('2021-03-05-late.md', {}, '2021-03-05 02:30:00 +0000', 'America/New_York');
    expect(jekyllRule('/:year/:month/:day/:hour:minute/:title/')(post)).toBe('/2021/03/04/2130/late/');
  });

  it('makes no address from a placeholder it does not know', () => {
    expect(jekyllRule('/:year/:nonsense/:title/')(facts('2021-03-04-a.md'))).toBeUndefined();
  });
});

describe('Hexo', () => {
  it('uses :year/:month/:day/:title/ by default, :title being the path under source/_posts', () => {
    const rule = hexoRule(undefined, undefined);
    expect(rule(facts('hello.md'))).toBe('/2021/03/04/hello/');
    expect(rule(facts('lisbon/alfama.md'))).toBe('/2021/03/04/lisbon/alfama/');
  });

  it('knows :name, :category (uncategorized when none) and dated file names', () => {
    expect(hexoRule(':category/:name.html', undefined)(facts('lisbon/alfama.md', { categories: ['Travel', 'Portugal'] }))).toBe('/Travel/Portugal/alfama.html');
    expect(hexoRule(':category/:name/', undefined)(facts('alfama.md'))).toBe('/uncategorized/alfama/');
    expect(hexoRule(':title.html', ':year-:month-:day-:title.md')(facts('2021-03-04-alfama.md'))).toBe('/alfama.html');
  });
});

describe('Hugo', () => {
  it('keeps the path under content/ in lower case, with the slug or the file name last', () => {
    const rule = hugoRule({});
    expect(rule(facts('posts/My-Post.md'))).toBe('/posts/my-post/');
    expect(rule(facts('posts/night-walk/index.md'))).toBe('/posts/night-walk/');
    expect(rule(facts('posts/a.md', { slug: 'b' }))).toBe('/posts/b/');
    // Blanks become hyphens, as Hugo makes a path (an Obsidian vault's folders and notes).
    expect(rule(facts('01 电子信息/AMD CPU 详细介绍.md'))).toBe('/01-电子信息/amd-cpu-详细介绍/');
    // What Hugo's path sanitizer drops and keeps.
    expect(rule(facts('notes/CPU（中央处理器）.md'))).toBe('/notes/cpu中央处理器/');
    expect(rule(facts('notes/Auto.JS.md'))).toBe('/notes/auto.js/');
    expect(rule(facts('notes/a -  b.md'))).toBe('/notes/a-b/');
  });

  it('applies [permalinks] by section; a frontmatter url wins', () => {
    const rule = hugoRule({ posts: '/:year/:month/:slug/', notes: '/n/:filename/' });
    expect(rule(facts('posts/a.md', { title: 'First Light!' }))).toBe('/2021/03/first-light/');
    expect(rule(facts('notes/Thing.md'))).toBe('/n/thing/');
    expect(rule(facts('posts/a.md', { url: '/elsewhere/' }))).toBe('/elsewhere/');
  });
});

describe('the others', () => {
  it("Zola: the section's path and the slug, a date before the name left out", () => {
    expect(zolaRule(facts('blog/2022-05-06-Feldspar.md'))).toBe('/blog/feldspar/');
    expect(zolaRule(facts('blog/quartz/index.md'))).toBe('/blog/quartz/');
  });

  it("MkDocs: the file's path, an index its folder", () => {
    expect(pathRule(facts('guide/setup.md'))).toBe('/guide/setup/');
    expect(pathRule(facts('guide/index.md'))).toBe('/guide/');
  });

  it("Eleventy: the file's path, an index or a file named after its folder that folder", () => {
    expect(eleventyRule(facts('blog/firstpost.md'))).toBe('/blog/firstpost/');
    expect(eleventyRule(facts('blog/fourth/fourth.md'))).toBe('/blog/fourth/');
    expect(eleventyRule(facts('blog/fifth/index.md'))).toBe('/blog/fifth/');
  });

  it('Astro: /<collection>/<id>/, the id in lower case', () => {
    expect(astroRule('blog')(facts('moons/Titan.md'))).toBe('/blog/moons/titan/');
  });

  it('Docusaurus: a dated file name is /blog/yyyy/mm/dd/name', () => {
    expect(docusaurusBlogRule(facts('2021-03-09-i18n.md'))).toBe('/blog/2021/03/09/i18n');
    expect(docusaurusBlogRule(facts('2021-03-09-i18n/index.md'))).toBe('/blog/2021/03/09/i18n');
    expect(docusaurusBlogRule(facts('welcome.md'))).toBe('/blog/welcome');
  });
});
