import { describe, expect, it } from '@jest/globals';
import { isSlug, MAX_SLUG_LENGTH, parseName, parsePostName, slugify, slugProblem } from '../../src/content/slug.js';
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
  it('should keep the letters of every script, as GitHub and Hugo do (issue 29)', () => {
    expect(slugify('Привет мир')).toBe('привет-мир');
    expect(slugify('Straße')).toBe('straße');
    expect(slugify('日本語のタイトル')).toBe('日本語のタイトル');
    expect(slugify('中文 标题')).toBe('中文-标题');
    expect(slugify('Мой й')).toBe('мой-й');
    expect(slugify('がぎ')).toBe('がぎ');
  });
  it('should give the same slug for a name saved decomposed (NFD, as macOS saves)', () => {
    expect(slugify('Привет мой'.normalize('NFD'))).toBe(slugify('Привет мой'));
    expect(slugify('がぎ'.normalize('NFD'))).toBe('がぎ');
  });
  it('should give an empty string when no letter or digit is left', () => {
    expect(slugify('🎉 !!')).toBe('');
    expect(slugify('\u0301\u200d')).toBe('');
  });
});

describe('parseName()', () => {
  it('should drop a leading date and return it as the default date', () => {
    expect(parseName('2024-02-09-my-post')).toEqual({ slug: 'my-post', date: '2024-02-09', title: 'My post' });
  });
  it('should keep a name that is only a date as its slug, and take it as the date (a daily note)', () => {
    expect(parseName('2024-02-09')).toEqual({ slug: '2024-02-09', date: '2024-02-09', title: '2024-02-09' });
  });
  it('should slugify names without a date', () => {
    expect(parseName('My Post')).toEqual({ slug: 'my-post', date: undefined, title: 'My Post' });
  });
  it.each([
    ['36.v4', 'v4'],
    ['01-intro', 'intro'],
    ['001 Intro', 'intro'],
    ['1. First steps', 'first-steps'],
    ['2_setup', 'setup'],
    ['404', '404'],
    ['2024', '2024'],
    ['01-02', '01-02'],
    ['10-tips', '10-tips'],
    ['0-day', '0-day'],
    ['3.5-notes', '3-5-notes'],
    ['2.0-launch', '2-0-launch'],
  ])('should drop a leading ordering number: %s is %s', (name, slug) => {
    expect(parseName(name).slug).toBe(slug);
  });
});

describe('isSlug()', () => {
  it('should accept slugs and refuse anything a path could abuse', () => {
    expect(isSlug('a-post-2')).toBe(true);
    expect(isSlug('привет-мир')).toBe(true);
    for (const bad of ['', '..', 'a/b', 'A', 'a b', '%2e', 'a\0b', 'x'.repeat(201), 'я'.repeat(101), 'Привет', 'a\u202eb']) expect(isSlug(bad)).toBe(false);
  });
});

describe('slugProblem()', () => {
  it('should accept what isSlug accepts, and say why anything else is refused', () => {
    expect(slugProblem('a-post', 'the file name')).toBeUndefined();
    expect(slugProblem('x'.repeat(MAX_SLUG_LENGTH), 'the file name')).toBeUndefined();
    expect(slugProblem('', 'the title')).toBe('the title has no letters or digits to make a URL from');
    expect(slugProblem('x'.repeat(MAX_SLUG_LENGTH + 1), 'the file name')).toBe(
      `the file name gives a slug of ${MAX_SLUG_LENGTH + 1} characters, over the limit of ${MAX_SLUG_LENGTH}`,
    );
  });
  it('should count a slug of other scripts in bytes of UTF-8', () => {
    expect(slugProblem('я'.repeat(100), 'the file name')).toBeUndefined();
    expect(slugProblem('я'.repeat(101), 'the file name')).toBe('the file name gives a slug of 202 bytes as UTF-8, over the limit of 200');
  });
  it('should agree with isSlug() for every length a file name allows (regression: 201-252 were listed but 404)', () => {
    for (let n = 1; n <= 252; n++) {
      const slug = 'a'.repeat(n);
      expect({ n, ok: slugProblem(slug, 'x') === undefined }).toEqual({ n, ok: isSlug(slug) });
    }
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

describe('parseName() with the six-digit dates some blogs use (issue 15)', () => {
  it('should take YYMMDD- as the date and drop it from the slug', () => {
    expect(parseName('191215-my-post')).toMatchObject({ slug: 'my-post', date: '2019-12-15' });
    expect(parseName('991231_party')).toMatchObject({ slug: 'party', date: '1999-12-31' });
  });
  it('should keep six digits that are no date in the slug', () => {
    expect(parseName('100000-users')).toMatchObject({ slug: '100000-users', date: undefined });
  });
});

describe('parsePostName() with dates in folders (Docusaurus, Jekyll)', () => {
  it.each([
    ['12-25-layoff', '2025/12-25-layoff.md', { slug: 'layoff', date: '2025-12-25' }],
    ['name', '2025/12/25/name.md', { slug: 'name', date: '2025-12-25' }],
    ['12-25-trip', 'blog/2025/12-25-trip/index.md', { slug: 'trip', date: '2025-12-25' }],
    ['2024-01-02-own', '2023/2024-01-02-own.md', { slug: 'own', date: '2024-01-02' }],
    ['post', '2023/post.md', { slug: 'post', date: undefined }],
    ['12-31', '2025/12-31.md', { slug: '12-31', date: '2025-12-31' }],
  ])('should read %s at %s', (base, relPath, expected) => {
    expect(parsePostName(base, relPath)).toMatchObject(expected);
  });
});
