/**
 * Checks a page for anything that could run script: every element and every
 * attribute is looked at, after the HTML is parsed as a browser would.
 */
import * as cheerio from 'cheerio';
import { ROUTES } from '../../src/content/urls.js';

/** Attributes whose value a browser loads or navigates to. */
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'data', 'background', 'cite', 'srcdoc', 'ping']);
/** Schemes that run script or carry a document of their own. */
const RUNNABLE_SCHEMES = new Set(['javascript', 'vbscript', 'data', 'livescript', 'file']);
/** Elements that load or run foreign content; none belongs in a Lede page. */
const DANGEROUS_TAGS = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'form', 'template']);

/** Every problem found; an empty list means nothing executable survived. */
export function executableContent(html: string): string[] {
  const $ = cheerio.load(html);
  const problems: string[] = [];
  $('*').each((_i, el) => {
    if (el.type !== 'tag' && el.type !== 'script' && el.type !== 'style') return;
    const tag = el.tagName.toLowerCase();
    if (tag === 'script') {
      // JSON-LD data blocks are not executed; any other script is.
      const type = (el.attribs.type ?? '').toLowerCase();
      if (type !== 'application/ld+json' || el.attribs.src !== undefined) problems.push(`<script type="${type}">`);
      return;
    }
    if (DANGEROUS_TAGS.has(tag) && !isSiteSearchForm(tag, el.attribs, $(el).closest('article, .prose').length > 0)) problems.push(`<${tag}>`);
    if (tag === 'meta' && (el.attribs['http-equiv'] ?? '').toLowerCase() === 'refresh') problems.push('<meta http-equiv=refresh>');
    for (const [name, value] of Object.entries(el.attribs)) {
      const attr = name.toLowerCase();
      if (attr.startsWith('on')) problems.push(`<${tag} ${attr}>`);
      if (attr === 'style' && /expression|javascript:|url\(/i.test(value)) problems.push(`<${tag} style="${value}">`);
      if (URL_ATTRIBUTES.has(attr) || attr === 'srcset') {
        // Browsers drop whitespace and control characters inside a scheme ("java\tscript:").
        const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value.replace(/[\u0000-\u0020\u007f]/g, ''))?.[1]?.toLowerCase();
        if (scheme && RUNNABLE_SCHEMES.has(scheme)) problems.push(`<${tag} ${attr}="${value}">`);
      }
    }
  });
  return problems;
}

/**
 * The site's own search form (the header's, and the search page's): a GET
 * form to the search route, outside any article. Posts can never bring a
 * form (the sanitizer drops them), so any other form is a problem.
 */
function isSiteSearchForm(tag: string, attribs: Readonly<Record<string, string>>, inArticle: boolean): boolean {
  return tag === 'form' && attribs.action === ROUTES.search && (attribs.method ?? '').toLowerCase() === 'get' && !inArticle;
}
