import { describe, expect, it } from '@jest/globals';
import { MAX_MATCHED_TERMS, MAX_QUERY_TERMS, MAX_TERMS_PER_DOCUMENT, SearchIndex, type SearchDocument } from '../../src/search/search-index.js';
import { SnippetTexts } from '../../src/search/snippet-texts.js';
import { Turns } from '../../src/loop/turns.js';
import { snippet, snippetSource } from '../../src/search/snippet.js';
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
  it('should score as if hidden documents were not there: IDF and average lengths count the visible ones (a static export holds only those)', () => {
    const shown = [doc('/a', { title: 'Plums', text: 'plums and pears in a bowl' }), doc('/b', { text: `plums ${'filler '.repeat(30)}` })];
    const alone = new SearchIndex<string>();
    for (const d of shown) alone.add(d, 'shown');
    const withHidden = new SearchIndex<string>();
    for (const d of shown) withHidden.add(d, 'shown');
    withHidden.add(doc('/draft', { title: 'A very long title about plums and more plums', text: `plums ${'words '.repeat(500)}` }), 'hidden');
    withHidden.setFilter((ref) => ref === 'shown');
    const scores = (index: SearchIndex<string>) => index.search('plums', { offset: 0, limit: 20 }).hits.map((h) => [h.doc.url, h.score]);
    expect(scores(withHidden)).toEqual(scores(alone));
    // And again once the hidden one is removed, or shown.
    withHidden.remove('/draft');
    expect(scores(withHidden)).toEqual(scores(alone));
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

describe('SearchIndex bounds (docs/search.md, "Bounded work")', () => {
  /** Every `width`-letter word from `aaa…` on, in order: `count` words that share their first letters. */
  const wordsFrom = (prefix: string, count: number): string[] =>
    Array.from({ length: count }, (_, i) => `${prefix}${i.toString(26).replace(/./g, (c) => String.fromCharCode(97 + parseInt(c, 26)))}`);

  it('should cap the indexed words a query matches, however many words its words begin', () => {
    const index = new SearchIndex<string>();
    const prefixes = ['alp', 'bet', 'gam', 'del', 'eps', 'zet', 'eta', 'the', 'iot', 'kap', 'lam', 'muu'];
    // 12 query words, each the start of 400 indexed words: 4,800 words to match without the cap.
    prefixes.forEach((prefix, i) => {
      index.add(doc(`/${i}`, { text: wordsFrom(prefix, 400).join(' ') }), String(i));
    });
    const results = index.search(prefixes.join(' '), { offset: 0, limit: 20 });
    expect(prefixes).toHaveLength(MAX_QUERY_TERMS);
    expect(results.matched.size).toBeGreaterThan(MAX_MATCHED_TERMS / 2);
    expect(results.matched.size).toBeLessThanOrEqual(MAX_MATCHED_TERMS);
    expect(results.total).toBe(12);
  });
  it('should keep every expansion of a query of a few words (ranking as before)', () => {
    const index = new SearchIndex<string>();
    index.add(doc('/a', { text: wordsFrom('mod', 60).join(' ') }), 'a');
    // 40 longer words (MAX_EXPANSIONS) and the typos of a word of 3: all kept.
    expect(index.search('mod', { offset: 0, limit: 20 }).matched.size).toBe(40);
  });
  it('should index a document up to MAX_TERMS_PER_DOCUMENT different words, and not the rest', () => {
    const index = new SearchIndex<string>();
    // Words with digits: matched exactly, never by a near spelling.
    const words = Array.from({ length: MAX_TERMS_PER_DOCUMENT + 10 }, (_, i) => `n${i}x`);
    index.add(doc('/huge', { title: 'Huge', text: words.join(' ') }), 'h');
    expect(urls(index, words[0]!)).toEqual(['/huge']);
    expect(urls(index, words[MAX_TERMS_PER_DOCUMENT - 2]!)).toEqual(['/huge']);
    expect(urls(index, words[MAX_TERMS_PER_DOCUMENT + 5]!)).toEqual([]);
  });
  it('should index no new word once the dictionary is full, and still the words it has', () => {
    const index = new SearchIndex<string>(3);
    index.add(doc('/a', { text: 'alpha beta gamma' }), 'a');
    index.add(doc('/b', { text: 'beta delta' }), 'b');
    expect(urls(index, 'beta').sort()).toEqual(['/a', '/b']);
    expect(urls(index, 'delta')).toEqual([]);
  });
  it('should add a document in steps with the same postings as at once, unseen until the last step', () => {
    const text = `${'common words here '.repeat(3000)} rare`;
    const atOnce = new SearchIndex<string>();
    atOnce.add(doc('/a', { text }), 'a');
    atOnce.add(doc('/b', { title: 'Rare', text: 'common' }), 'b');
    const stepwise = new SearchIndex<string>();
    stepwise.add(doc('/b', { title: 'Rare', text: 'common' }), 'b');
    const job = stepwise.adding(doc('/a', { text }), 'a');
    let steps = 0;
    while (!job.next().done) {
      steps++;
      expect(urls(stepwise, 'rare')).toEqual(['/b']);
    }
    expect(steps).toBeGreaterThan(2);
    const scores = (index: SearchIndex<string>): [string, number][] =>
      index.search('common rare', { offset: 0, limit: 20 }).hits.map((h) => [h.doc.url, h.score]);
    expect(scores(stepwise)).toEqual(scores(atOnce));
  });
  it('should sweep in steps while documents are added, keeping theirs', () => {
    const index = new SearchIndex<string>();
    for (let i = 0; i < 50; i++) index.add(doc(`/${i}`, { text: `common word${i}` }), String(i));
    for (let i = 0; i < 40; i++) index.forget(`/${i}`);
    expect(index.vacuumDue).toBe(true);
    const sweep = index.vacuuming();
    sweep.next();
    index.add(doc('/new', { text: 'common word3' }), 'n');
    while (!sweep.next().done);
    expect(index.unswept).toBe(0);
    expect(urls(index, 'word3')).toEqual(['/new']);
    expect(index.search('common', { offset: 0, limit: 100 }).total).toBe(11);
  });
});

describe('Turns', () => {
  it('should run several jobs a step each in turn, within one turn of the loop while the slice lasts', async () => {
    const turns = new Turns((next) => setImmediate(next));
    const order: string[] = [];
    const job = function* (name: string, steps: number): Generator<void, string, void> {
      for (let i = 0; i < steps; i++) {
        order.push(`${name}${i}`);
        yield;
      }
      return name;
    };
    expect(await Promise.all([turns.run(job('a', 3)), turns.run(job('b', 2))])).toEqual(['a', 'b']);
    expect(order).toEqual(['a0', 'b0', 'a1', 'b1', 'a2']);
  });
  it('should reject the job that throws, and go on with the others', async () => {
    const turns = new Turns((next) => setImmediate(next));
    const failing = (function* (): Generator<void, number, void> {
      yield;
      throw new Error('broken');
    })();
    const fine = (function* (): Generator<void, number, void> {
      yield;
      return 2;
    })();
    await expect(turns.run(failing)).rejects.toThrow('broken');
    expect(await turns.run(fine)).toBe(2);
  });
});

describe('SnippetTexts', () => {
  it('should keep the most recently used texts within its bounds', () => {
    const texts = new SnippetTexts<object>(2, 10);
    const [a, b, c] = [{}, {}, {}];
    texts.set(a, 'aaaa');
    texts.set(b, 'bbbb');
    expect(texts.get(a)).toBe('aaaa');
    texts.set(c, 'cccc');
    expect(texts.get(b)).toBeUndefined();
    expect(texts.size).toEqual({ texts: 2, chars: 8 });
    texts.set(b, 'bbbbbbbb');
    expect(texts.size).toEqual({ texts: 1, chars: 8 });
    texts.set(a, 'x'.repeat(11));
    expect(texts.get(a)).toBeUndefined();
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
  it('should read a text once for any number of matched words, with the same passage as one look-up per word', () => {
    const many = new Set(Array.from({ length: 1000 }, (_, i) => `word${i}`));
    many.add('needle');
    const text = `${'some words and more words '.repeat(3000)}a needle here ${'and words after it '.repeat(10)}`;
    expect(snippet(text, many)).toBe(snippet(text, matched));
    expect(snippet(text, many)).toContain('<mark>needle</mark>');
  });
  it('should cut a snippet from the part of the text snippetSource keeps, the same as from the whole', () => {
    const text = `${'filler words '.repeat(7690)}the needle, at last, and more text ${'after words '.repeat(100)}`;
    expect(snippetSource(text).length).toBeLessThan(text.length);
    expect(snippet(snippetSource(text), matched)).toBe(snippet(text, matched));
    expect(snippet(text, matched)).toContain('<mark>needle</mark>');
  });
  it('should start at the beginning when the text has no match', () => {
    expect(snippet('Nothing to see here. At all.', matched, 15)).toBe('Nothing to see…');
  });
});
