import { describe, expect, it, afterEach } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config.js';
import { TempContent } from '../helpers/site.js';

describe('loadConfig()', () => {
  let content: TempContent;
  afterEach(() => content.cleanup());

  it('should use defaults, then the environment, then the settings file', () => {
    content = new TempContent();
    content.write('_site.yml', 'title: My Blog\nauthor: Ann\ntimezone: Asia/Tokyo\nnav:\n  - { label: About, url: /about }\n');
    const config = loadConfig({ CONTENT_DIR: content.dir, PORT: '8080' }, '/');
    expect(config.port).toBe(8080);
    expect(config.siteUrl).toBe('http://localhost:8080');
    expect(config.site.title).toBe('My Blog');
    expect(config.site.author).toBe('Ann');
    expect(config.site.timezone).toBe('Asia/Tokyo');
    expect(config.site.nav).toEqual([{ label: 'About', url: '/about' }]);
    expect(config.site.posts_per_page).toBe(10);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.site.nav)).toBe(true);
  });

  it('should keep the image cache outside the content folder, with a byte budget', () => {
    content = new TempContent();
    const config = loadConfig({ CONTENT_DIR: content.dir, IMAGE_CACHE_DIR: `${content.dir}-images`, IMAGE_CACHE_MAX_BYTES: '2097152' }, '/');
    expect(config.imageCacheDir).toBe(`${content.dir}-images`);
    expect(config.imageCacheMaxBytes).toBe(2097152);
    expect(() => loadConfig({ CONTENT_DIR: content.dir, IMAGE_CACHE_DIR: `${content.dir}/.cache` })).toThrow(
      /IMAGE_CACHE_DIR: .* is inside the content folder/,
    );
    expect(() => loadConfig({ CONTENT_DIR: content.dir, IMAGE_CACHE_MAX_BYTES: '10' })).toThrow(/IMAGE_CACHE_MAX_BYTES/);
  });

  it('should read PURGE_URL, off by default, and refuse one that is not http(s)', () => {
    content = new TempContent();
    expect(loadConfig({ CONTENT_DIR: content.dir }).purgeUrl).toBeUndefined();
    expect(loadConfig({ CONTENT_DIR: content.dir, PURGE_URL: 'https://purge.example.com/keys' }).purgeUrl).toBe('https://purge.example.com/keys');
    expect(() => loadConfig({ CONTENT_DIR: content.dir, PURGE_URL: 'ftp://example.com' })).toThrow(/PURGE_URL/);
  });

  it('should watch the content folder by default, poll it with CONTENT_WATCH=poll, and refuse anything else', () => {
    content = new TempContent();
    expect(loadConfig({ CONTENT_DIR: content.dir }).contentWatch).toBe('watch');
    expect(loadConfig({ CONTENT_DIR: content.dir, CONTENT_WATCH: 'poll' }).contentWatch).toBe('poll');
    expect(() => loadConfig({ CONTENT_DIR: content.dir, CONTENT_WATCH: 'inotify' })).toThrow(/CONTENT_WATCH/);
  });

  it('should give the page cache 32 MiB unless CACHE_MAX_BYTES says otherwise', () => {
    content = new TempContent();
    expect(loadConfig({ CONTENT_DIR: content.dir }).cacheMaxBytes).toBe(32 * 1024 * 1024);
    expect(loadConfig({ CONTENT_DIR: content.dir, CACHE_MAX_BYTES: '8388608' }).cacheMaxBytes).toBe(8 * 1024 * 1024);
  });

  it('should strip a trailing slash from SITE_URL', () => {
    content = new TempContent();
    expect(loadConfig({ CONTENT_DIR: content.dir, SITE_URL: 'https://blog.example.com/' }).siteUrl).toBe('https://blog.example.com');
  });

  it.each([
    ['timezone: Mars/Olympus', /_site\.yml: field `timezone` is not an IANA time zone/],
    ['title: [a, b]', /_site\.yml: field `title`: expected text, got a list/],
    ['nav:\n  - label: x', /_site\.yml: field `nav.0.url` is required/],
    ['colour: blue', /_site\.yml: unknown field `colour`/],
    ['title: "unclosed', /_site\.yml:\d+: broken YAML/],
  ])('should stop on a bad settings file (%s) naming the file and the field', (yaml, message) => {
    content = new TempContent();
    content.write('_site.yml', yaml);
    expect(() => loadConfig({ CONTENT_DIR: content.dir })).toThrow(ConfigError);
    expect(() => loadConfig({ CONTENT_DIR: content.dir })).toThrow(message);
  });

  it('should refuse a bad environment value', () => {
    content = new TempContent();
    expect(() => loadConfig({ CONTENT_DIR: content.dir, PORT: 'abc' })).toThrow(/environment: field `PORT`/);
    expect(() => loadConfig({ CONTENT_DIR: content.dir, NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
  });

  it('should refuse a content folder that does not exist', () => {
    content = new TempContent();
    expect(() => loadConfig({ CONTENT_DIR: `${content.dir}/nope` })).toThrow(/CONTENT_DIR: .* does not exist/);
  });
});
