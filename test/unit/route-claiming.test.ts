import { describe, expect, it } from '@jest/globals';
import { routeClaiming } from '../../src/content/urls.js';

describe('routeClaiming(path)', () => {
  it.each([
    ['/tags', '/tags'],
    ['/archive', '/archive'],
    ['/search', '/search'],
    ['/search.json', '/search.json'],
    ['/feed.xml', '/feed.xml'],
    ['/atom.xml', '/atom.xml'],
    ['/feed.json', '/feed.json'],
    ['/sitemap.xml', '/sitemap.xml'],
    ['/robots.txt', '/robots.txt'],
    ['/healthz', '/healthz'],
    ['/posts', '/posts/:slug'],
    ['/posts/x/a.png', '/posts/:slug'],
    ['/page', '/page/:n'],
    ['/authors', '/authors/:slug'],
    ['/tags/x.png', '/tags/:slug'],
    ['/_lede', '/_lede/*'],
    ['/_lede/style.css', '/_lede/*'],
  ])('should say that %s is answered by the route %s', (path, route) => {
    expect(routeClaiming(path)).toBe(route);
  });

  it.each(['/about', '/contact', '/img/logo.png', '/favicon.ico', '/search/x.png', '/tagsx', '/archive-2020', '/assets/images/x.png', '/assets'])(
    'should leave %s to pages and static files',
    (path) => {
      expect(routeClaiming(path)).toBeUndefined();
    },
  );
});
