import { afterEach, describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config.js';
import { TempContent } from '../helpers/site.js';

describe('security settings in _site.yml', () => {
  let content: TempContent;
  afterEach(() => content.cleanup());

  it('should sanitize by default (`raw_html: false`)', () => {
    content = new TempContent();
    expect(loadConfig({ CONTENT_DIR: content.dir }).site.raw_html).toBe(false);
  });

  it('should read `raw_html: true` as the opt-in', () => {
    content = new TempContent();
    content.write('_site.yml', 'raw_html: true\n');
    expect(loadConfig({ CONTENT_DIR: content.dir }).site.raw_html).toBe(true);
  });

  it('should refuse a `raw_html` that is not true or false', () => {
    content = new TempContent();
    content.write('_site.yml', 'raw_html: yes please\n');
    expect(() => loadConfig({ CONTENT_DIR: content.dir })).toThrow(ConfigError);
  });

  it.each(['javascript:alert(1)', 'data:text/html,x', ' JavaScript:alert(1)'])('should refuse a nav link to %j', (url) => {
    content = new TempContent();
    content.write('_site.yml', `nav:\n  - label: Evil\n    url: ${JSON.stringify(url)}\n`);
    expect(() => loadConfig({ CONTENT_DIR: content.dir })).toThrow(/_site\.yml: field `nav\.0\.url` must be an http\(s\), mailto or relative URL/);
  });

  it('should refuse a site CTA with a javascript: link', () => {
    content = new TempContent();
    content.write('_site.yml', 'cta: "Follow [us](javascript:alert(1))"\n');
    expect(() => loadConfig({ CONTENT_DIR: content.dir })).toThrow(
      /_site\.yml: field `cta` has a link that must be an http\(s\), mailto or relative URL, not a `javascript:` URL/,
    );
  });
});
