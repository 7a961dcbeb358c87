/*
 * The search page of a static export (docs/search.md, "In a static export"):
 * reads `?q=` and `&page=`, loads the index file the export wrote, ranks with
 * the server's own search code (src/search/static-search.ts, compiled) and
 * shows the results as the live `/search` page does (views/search.ejs): a
 * status line, the list, the pages. Both are in the folder this script's
 * `data-search` names (`/_lede/search-<hash>/`, new with each export). A
 * module script from this origin, so the site's policy (`script-src 'self'`)
 * allows it; the live server's search page does not load it.
 */
const folder = new URL(document.querySelector('script[data-search]')?.dataset.search ?? '.', window.location.href);
const section = document.querySelector('section.search') ?? document.querySelector('main');
const params = new URLSearchParams(window.location.search);

/** The status line, as the live page words it. */
const status = (text) => {
  const p = document.createElement('p');
  p.className = 'search__status';
  p.setAttribute('role', 'status');
  p.textContent = text;
  return p;
};

const plural = (total) => (total === 0 ? 'No posts match.' : total === 1 ? '1 post matches.' : `${total.toLocaleString('en-US')} posts match.`);

/** `/search?q=…&page=n`, as the live page links its pages (src/content/urls.ts, searchUrl). */
const pageUrl = (query, n) => {
  const next = new URLSearchParams({ q: query });
  if (n > 1) next.set('page', String(n));
  return `${window.location.pathname}?${next}`;
};

const result = (hit) => {
  const li = document.createElement('li');
  li.className = 'search-result';
  const h2 = document.createElement('h2');
  h2.className = 'search-result__title';
  const a = document.createElement('a');
  a.href = hit.url;
  a.textContent = hit.title;
  h2.append(a);
  li.append(h2);
  if (hit.date) {
    const meta = document.createElement('p');
    meta.className = 'meta';
    const time = document.createElement('time');
    time.dateTime = hit.date.datetime;
    time.textContent = hit.date.text;
    meta.append(time);
    li.append(meta);
  }
  const snippet = document.createElement('p');
  snippet.className = 'search-result__snippet';
  // The engine's snippet: the text escaped first, then the matched words in <mark> (src/search/snippet.ts).
  snippet.innerHTML = hit.snippet;
  li.append(snippet);
  return li;
};

const pagination = (query, current, totalPages) => {
  const nav = document.createElement('nav');
  nav.className = 'pagination';
  nav.setAttribute('aria-label', 'Pages');
  const link = (rel, n, text) => {
    const a = document.createElement('a');
    a.rel = rel;
    a.href = pageUrl(query, n);
    a.textContent = text;
    return a;
  };
  if (current > 1) nav.append(link('prev', current - 1, '← Previous results'));
  const span = document.createElement('span');
  span.textContent = `Page ${current} of ${totalPages}`;
  nav.append(span);
  if (current < totalPages) nav.append(link('next', current + 1, 'More results →'));
  return nav;
};

/** Reads the query, loads the engine and the index, and shows the answer. */
const answer = async () => {
  let engine;
  try {
    engine = await import(new URL('search/static-search.js', folder).href);
  } catch (err) {
    section.append(status('Search could not load. Try again in a moment.'));
    return console.error('search:', err);
  }
  const { readStaticPage, readStaticQuery, StaticSearch } = engine;
  const query = readStaticQuery(params.get('q'));
  const page = readStaticPage(params.get('page'));
  for (const input of document.querySelectorAll('input[name="q"]')) input.value = query;
  if (!query) return;
  const heading = `Search results for “${query}”`;
  const h1 = document.getElementById('search-title');
  if (h1) h1.textContent = heading;
  const site = document.title.indexOf(' | ');
  document.title = `${heading}${page > 1 ? `: page ${page}` : ''}${site >= 0 ? document.title.slice(site) : ''}`;
  if (page === undefined) return section.append(status('The page of search results must be a number from 1: ?q=words&page=2'));
  try {
    const response = await fetch(new URL('index.json', folder));
    if (!response.ok) throw new Error(`the search index answered ${response.status}`);
    const search = new StaticSearch(await response.json());
    const found = search.search(query, page);
    section.append(status(plural(found.total)));
    if (found.hits.length) {
      const list = document.createElement('ol');
      list.className = 'search-results';
      list.append(...found.hits.map(result));
      section.append(list);
    }
    const totalPages = Math.max(1, Math.ceil(found.total / search.perPage));
    if (totalPages > 1) section.append(pagination(query, page, totalPages));
  } catch (err) {
    section.append(status('Search could not load its index. Try again in a moment.'));
    console.error('search:', err);
  }
};

// Busy until the answer is shown: its status line, list and pages are all in place when this is cleared.
if (params.get('q')?.trim()) {
  section.setAttribute('aria-busy', 'true');
  answer().finally(() => section.removeAttribute('aria-busy'));
}
