/**
 * A whole blog repository's config (src/site-config/): which tool, read
 * from its declarative file only, and the site's title, description, author,
 * time zone and base URL as each tool names them.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { recogniseSite } from '../../src/site-config/recognise-site.js';
import { siteFieldsOf } from '../../src/site-config/site-fields.js';
import { loadConfig } from '../../src/config.js';
import { readSettingsFile } from '../../src/settings.js';
import { TempContent } from '../helpers/site.js';

let content: TempContent;
afterEach(() => content.cleanup());

function repo(files: Record<string, string>): string {
  content = new TempContent();
  for (const [file, text] of Object.entries(files)) content.write(file, text);
  return content.dir;
}

describe('recogniseSite', () => {
  it('is undefined for a plain content folder, one holding a copied _posts/ folder too', () => {
    expect(recogniseSite(repo({ 'post.md': '# Hi\n' }))).toBeUndefined();
    content.cleanup();
    expect(recogniseSite(repo({ 'post.md': '# Hi\n', '_posts/2020-01-02-a.md': '---\ntitle: A\n---\n' }))).toBeUndefined();
    content.cleanup();
    expect(recogniseSite(repo({ 'post.md': '# Hi\n', 'config.yml': 'title: Mine\n' }))).toBeUndefined();
  });

  it.each([
    ['jekyll', { '_config.yml': 'title: T\n' }, '_config.yml'],
    ['jekyll', { '_posts/2020-01-02-a.md': '---\ntitle: A\n---\n', '_layouts/post.html': '{{ content }}\n' }, '_posts/'],
    ['hexo', { '_config.yml': 'title: T\nnew_post_name: :title.md\n' }, '_config.yml'],
    ['hexo', { '_config.yml': 'title: T\n', 'scaffolds/post.md': '---\ntitle: {{ title }}\n---\n' }, '_config.yml'],
    ['hugo', { 'hugo.yaml': 'title: T\n' }, 'hugo.yaml'],
    ['hugo', { 'config.toml': "baseURL = 'https://a.example/'\n", 'content/a.md': '# A\n' }, 'config.toml'],
    ['hugo', { 'config/_default/hugo.toml': "title = 'T'\n" }, 'config/_default/hugo.toml'],
    ['zola', { 'config.toml': 'base_url = "https://a.example"\n[markdown]\n', 'content/a.md': '# A\n' }, 'config.toml'],
    ['eleventy', { '.eleventy.js': 'module.exports = {};\n' }, '.eleventy.js'],
    ['astro', { 'astro.config.ts': 'export default {};\n' }, 'astro.config.ts'],
    ['docusaurus', { 'docusaurus.config.js': 'module.exports = {};\n' }, 'docusaurus.config.js'],
    ['mkdocs', { 'mkdocs.yml': 'site_name: T\n' }, 'mkdocs.yml'],
    ['obsidian', { '.obsidian/app.json': '{}\n' }, '.obsidian'],
  ])('recognises %s by %j', (tool, files, configFile) => {
    const site = recogniseSite(repo(files));
    expect(site).toMatchObject({ tool, configFile });
  });

  it('never runs a config that is code: it is named as code and gives nothing', () => {
    const site = recogniseSite(repo({ 'astro.config.mjs': "throw new Error('ran');\nexport default { site: 'https://a.example' };\n" }));
    expect(site).toMatchObject({ tool: 'astro', code: true, config: {} });
    expect(siteFieldsOf(site)).toEqual({});
  });

  it('says why a config cannot be read, and reads nothing from it', () => {
    const site = recogniseSite(repo({ 'hugo.toml': 'title = \n' }));
    expect(site?.problem).toMatch(/^is not valid TOML/);
    expect(siteFieldsOf(site)).toEqual({});
  });
});

describe('siteFieldsOf', () => {
  it("reads Jekyll's title, description, author object, time zone and url + baseurl", () => {
    const dir = repo({
      '_config.yml': 'title: Tides\ndescription: Notes\nauthor:\n  name: Ada\ntimezone: America/New_York\nurl: https://a.example\nbaseurl: /blog\n',
    });
    expect(siteFieldsOf(recogniseSite(dir))).toEqual({
      title: 'Tides',
      description: 'Notes',
      author: 'Ada',
      timezone: 'America/New_York',
      baseUrl: 'https://a.example/blog',
    });
  });

  it("reads Hugo's keys in any case, and its params, from YAML, TOML or JSON", () => {
    const fields = { title: 'Lanterns', description: 'At night', author: 'Noor', baseUrl: 'https://l.example' };
    expect(
      siteFieldsOf(
        recogniseSite(repo({ 'hugo.toml': "BaseURL = 'https://l.example/'\nTitle = 'Lanterns'\n[Params]\nDescription = 'At night'\nAuthor = 'Noor'\n" })),
      ),
    ).toEqual(fields);
    content.cleanup();
    expect(
      siteFieldsOf(
        recogniseSite(
          repo({
            'hugo.json': JSON.stringify({ baseURL: 'https://l.example/', title: 'Lanterns', params: { description: 'At night', author: { name: 'Noor' } } }),
          }),
        ),
      ),
    ).toEqual(fields);
  });

  it("reads MkDocs' site_ fields past the Python tags other keys carry", () => {
    const dir = repo({
      'mkdocs.yml':
        'site_name: Docs\nsite_url: https://d.example/\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n',
    });
    expect(siteFieldsOf(recogniseSite(dir))).toEqual({ title: 'Docs', baseUrl: 'https://d.example' });
  });

  it('leaves out a value of the wrong shape: a time zone no place has, a base URL that is not http(s), an empty title', () => {
    const dir = repo({ '_config.yml': 'title: ""\ntimezone: Mars/Olympus\nurl: ftp://a.example\nsource_dir: source\n' });
    expect(siteFieldsOf(recogniseSite(dir))).toEqual({});
  });
});

describe("the repository's config as the settings' defaults", () => {
  it('gives the title, description and author when there is no _site.yml', () => {
    const dir = repo({ 'config.toml': 'base_url = "https://g.example"\ntitle = "Granite"\ndescription = "Rocks"\nauthor = "Tom"\n', 'content/a.md': '# A\n' });
    const { settings, problems } = readSettingsFile(dir);
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({ title: 'Granite', description: 'Rocks', author: 'Tom' });
  });

  it("yields to Lede's own _site.yml, field by field", () => {
    const dir = repo({ '_config.yml': 'title: Old title\nauthor: Old author\ntimezone: Asia/Tokyo\n', '_site.yml': 'title: New title\n' });
    expect(readSettingsFile(dir).settings).toMatchObject({ title: 'New title', author: 'Old author', timezone: 'Asia/Tokyo' });
  });
});

describe("the repository's base URL as SITE_URL's default", () => {
  it("is the config's, without its trailing slash, until SITE_URL says otherwise", () => {
    const dir = repo({ 'hugo.toml': "baseURL = 'https://lanterns.example/'\ntitle = 'Lanterns'\n" });
    expect(loadConfig({ CONTENT_DIR: dir }).siteUrl).toBe('https://lanterns.example');
    expect(loadConfig({ CONTENT_DIR: dir, SITE_URL: 'https://new.example/' }).siteUrl).toBe('https://new.example');
    expect(loadConfig({ CONTENT_DIR: dir }).site.title).toBe('Lanterns');
  });
});
