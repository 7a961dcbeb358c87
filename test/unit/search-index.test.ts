import { describe, expect, it } from '@jest/globals';
import { SearchIndex, type SearchDocument } from '../../src/search/search-index.js';
import { snippet } from '../../src/search/snippet.js';
import { terms } from '../../src/search/terms.js';

const doc = (url: string, fields: Partial<SearchDocument> = {}): SearchDocument => ({
  url,
  title: '',
  subtitle: undefined,
  description: '',
  tags: [],
  author: '',
  text: '',
  date: undefined,
  ...fields,
});
const urls = (index: SearchIndex<string>, query: string, offset = 0, limit = 20): string[] =>
  index.search(query, { offset, limit }).hits.map((hit) => hit.doc.url);

describe('terms()', () => {
  it('should lower-case, drop accents and split on anything but letters and digits', () => {
    expect(terms("Café au LAIT: naïve façade, 2024's best!")).toEqual(['cafe', 'au', 'lait', 'naive', 'facade', '2024', 's', 'best']);
  });
  it('should leave out runs too long to be words', () => {
    expect(terms(`short ${'x'.repeat(41)} end`)).toEqual(['short', 'end']);
  });
});

describe('SearchIndex', () => {
  it('should weigh the fields: title, then tags and subtitle, then the body', () => {
    const index = new SearchIndex<string>();
    index.add(doc('/body', { text: 'a note on gardening and more words' }), 'b');
    index.add(doc('/title', { title: 'Gardening', text: 'other words entirely' }), 't');
    index.add(doc('/tag', { tags: ['gardening'], text: 'still other words' }), 'g');
    expect(urls(index, 'gardening')).toEqual(['/title', '/tag', '/body']);
  });
  it('should rank a word said often in a short text above one said once in a long text', () => {
    const index = new SearchIndex<string>();
    index.add(doc('/long', { text: `compost ${'filler '.repeat(200)}` }), 'l');
    index.add(doc('/short', { text: 'compost compost and compost' }), 's');
    expect(urls(index, 'compost')).toEqual(['/short', '/long']);
  });
  it('should score the word itself above a prefix or a typo of it', () => {
    const index = new SearchIndex<string>();
    index.add(doc('/typo', { text: 'gardeing' }), 't');
    index.add(doc('/prefix', { text: 'gardenings' }), 'p');
    index.add(doc('/exact', { text: 'gardening' }), 'e');
    expect(urls(index, 'gardening')).toEqual(['/exact', '/prefix', '/typo']);
  });
  it('should match prefixes from 3 characters, one typo from 4 and two from 8', () => {
    const index = new SearchIndex<string>();
    index.add(doc('/a', { text: 'tomatoes' }), 'a');
    expect(urls(index, 'to')).toEqual([]);
    expect(urls(index, 'tom')).toEqual(['/a']);
    expect(urls(index, 'tomatos')).toEqual(['/a']);
    expect(urls(index, 'tamatoes')).toEqual(['/a']);
    expect(urls(index, 'tamatos')).toEqual([]);
    expect(urls(index, 'tamatoess')).toEqual(['/a']);
    expect(urls(index, 'tamatoesss')).toEqual([]);
  });
  it('should replace a document added again under its URL, and forget a removed one', () => {
    const index = new SearchIndex<string>();
    index.add(doc('/a', { text: 'apples' }), 'v1');
    index.add(doc('/a', { text: 'pears' }), 'v2');
    expect(urls(index, 'apples')).toEqual([]);
    expect(index.search('pears', { offset: 0, limit: 20 }).hits.map((h) => h.ref)).toEqual(['v2']);
    index.remove('/a');
    expect(urls(index, 'pears')).toEqual([]);
    expect(index.size).toBe(0);
  });
  it('should sweep removed documents out and reuse their slots, with the same answers', () => {
    const index = new SearchIndex<string>();
    for (let i = 0; i < 50; i++) index.add(doc(`/${i}`, { text: `common word${i}` }), String(i));
    for (let i = 0; i < 40; i++) index.remove(`/${i}`);
    const before = index.search('common', { offset: 0, limit: 100 });
    index.vacuum();
    const after = index.search('common', { offset: 0, limit: 100 });
    expect(after.total).toBe(10);
    expect(after.hits.map((h) => [h.doc.url, h.score])).toEqual(before.hits.map((h) => [h.doc.url, h.score]));
    index.add(doc('/new', { text: 'common word0' }), 'n');
    expect(urls(index, 'word0')).toEqual(['/new']);
    expect(index.search('common', { offset: 0, limit: 100 }).total).toBe(11);
  });
  it('should sweep by itself while a small site is edited, so its index stays the size of the site', () => {
    const index = new SearchIndex<string>();
    for (let i = 0; i < 50; i++) index.add(doc(`/${i}`, { text: `common word${i}` }), String(i));
    // 600 edits, each a removal and an addition: with a vacuum only at 1,000 dead documents, all 600 stayed (the soak's heap grew 12%).
    for (let round = 0; round < 12; round++) for (let i = 0; i < 50; i++) index.add(doc(`/${i}`, { text: `common word${i} v${round}` }), String(i));
    expect(index.size).toBe(50);
    expect(index.unswept).toBeLessThan(50);
    expect(index.search('common', { offset: 0, limit: 100 }).total).toBe(50);
  });
  it('should find only the documents the filter accepts, and count only them', () => {
    const index = new SearchIndex<string>();
    index.add(doc('/shown', { text: 'plums' }), 'shown');
    index.add(doc('/hidden', { text: 'plums' }), 'hidden');
    index.setFilter((ref) => !ref.startsWith('hidden'));
    const results = index.search('plums', { offset: 0, limit: 20 });
    expect(results.total).toBe(1);
    expect(results.hits.map((h) => h.doc.url)).toEqual(['/shown']);
    // Documents added later are judged by the same filter; a new filter judges them all again.
    index.add(doc('/hidden-too', { text: 'plums' }), 'hidden-too');
    expect(urls(index, 'plums')).toEqual(['/shown']);
    index.setFilter(() => true);
    expect(urls(index, 'plums').sort()).toEqual(['/hidden', '/hidden-too', '/shown']);
  });
  it('should page through equal scores newest first, then by URL, the same every time', () => {
    const index = new SearchIndex<string>();
    const day = (n: number) => ({ date: n, iso: '', hasTime: false, instant: n });
    for (let i = 0; i < 30; i++) index.add(doc(`/p${String(i).padStart(2, '0')}`, { text: 'same words', date: { ...day(i % 10), date: '' } }), String(i));
    const all = urls(index, 'same', 0, 30);
    expect(all.slice(0, 3)).toEqual(['/p09', '/p19', '/p29']);
    expect([...urls(index, 'same', 0, 10), ...urls(index, 'same', 10, 10), ...urls(index, 'same', 20, 10)]).toEqual(all);
  });
  it('should allow no typo in a word with digits', () => {
    const index = new SearchIndex<string>();
    index.add(doc('/a', { text: 'release 4210' }), 'a');
    expect(urls(index, '4217')).toEqual([]);
    expect(urls(index, '4210')).toEqual(['/a']);
  });
  it('should say which indexed words the query matched', () => {
    const index = new SearchIndex<string>();
    index.add(doc('/a', { text: 'models modeling model' }), 'a');
    expect([...index.search('model', { offset: 0, limit: 20 }).matched].sort()).toEqual(['model', 'modeling', 'models']);
  });
});

describe('snippet()', () => {
  const matched = new Set(['needle']);
  it('should escape the text, then mark the matched words', () => {
    expect(snippet('a <b>needle</b> & "more"', matched)).toBe('a &lt;b&gt;<mark>needle</mark>&lt;/b&gt; &amp; &quot;more&quot;');
  });
  it('should mark a word however it is written', () => {
    expect(snippet('Needle, NEEDLE and neédle.', matched)).toBe('<mark>Needle</mark>, <mark>NEEDLE</mark> and <mark>neédle</mark>.');
  });
  it('should cut a long text around the first match, at word boundaries, with ellipses', () => {
    const text = `${'early words '.repeat(30)}the needle is here. ${'later words '.repeat(30)}`;
    const html = snippet(text, matched, 80);
    expect(html.startsWith('…')).toBe(true);
    expect(html.endsWith('…')).toBe(true);
    expect(html).toContain('<mark>needle</mark>');
    expect(html.replace(/<\/?mark>/g, '').length).toBeLessThanOrEqual(82);
    expect(html).toMatch(/^…(early|words) /);
  });
  it('should prefer the passage with the most different matched words', () => {
    const both = new Set(['needle', 'thread']);
    const text = `needle ${'filler '.repeat(40)}a needle and a thread ${'filler '.repeat(40)}`;
    expect(snippet(text, both, 60)).toContain('<mark>needle</mark> and a <mark>thread</mark>');
  });
  it('should start at the beginning when the text has no match', () => {
    expect(snippet('Nothing to see here. At all.', matched, 15)).toBe('Nothing to see…');
  });
});
