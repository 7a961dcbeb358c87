import { describe, expect, it } from '@jest/globals';
import { isSlug, parseName, slugify } from '../../src/content/slug.js';
import { isIgnoredName } from '../../src/content/find-posts.js';

describe('slugify()', () => {
  it('should lower-case and join words with hyphens', () => {
    expect(slugify('DeepSeek Rising Challenger')).toBe('deepseek-rising-challenger');
  });
  it('should fold accents and drop punctuation', () => {
    expect(slugify("Café: l'été, 2024!")).toBe('cafe-lete-2024');
  });
  it('should trim hyphens at both ends and collapse runs', () => {
    expect(slugify('--a   b__c--')).toBe('a-b-c');
  });
  it('should give an empty string when nothing URL-safe is left', () => {
    expect(slugify('日本語')).toBe('');
  });
});

describe('parseName()', () => {
  it('should drop a leading date and return it as the default date', () => {
    expect(parseName('2024-02-09-my-post')).toEqual({ slug: 'my-post', date: '2024-02-09' });
  });
  it('should keep a name that is only a date', () => {
    expect(parseName('2024-02-09')).toEqual({ slug: '2024-02-09', date: undefined });
  });
  it('should slugify names without a date', () => {
    expect(parseName('My Post')).toEqual({ slug: 'my-post', date: undefined });
  });
});

describe('isSlug()', () => {
  it('should accept slugs and refuse anything a path could abuse', () => {
    expect(isSlug('a-post-2')).toBe(true);
    for (const bad of ['', '..', 'a/b', 'A', 'a b', '%2e', 'a\0b', 'x'.repeat(201)]) expect(isSlug(bad)).toBe(false);
  });
});

describe('isIgnoredName()', () => {
  it.each(['.hidden.md', '_draft.md', 'post.md~', '.post.md.swp', 'post.md.swp', '#post.md#'])('should ignore %s', (name) => {
    expect(isIgnoredName(name)).toBe(true);
  });
  it.each(['post.md', '2024-01-01-post.md', 'bundle'])('should not ignore %s', (name) => {
    expect(isIgnoredName(name)).toBe(false);
  });
});
