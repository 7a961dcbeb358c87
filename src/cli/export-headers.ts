/**
 * `_headers`: the live server's response headers, for static hosts that read
 * such a file from the site's root (Netlify, Cloudflare Pages, and others
 * with the same format: a path pattern, then indented `Name: value` lines).
 * Without it those hosts would send an author's SVG as a plain image, script
 * and all, on the site's own origin.
 *
 * Every path gets the page policy; files beside a post (`/posts/:slug/*`)
 * and each site-wide file of `content/static/` (at its own path: they sit at
 * the root, beside pages, so no pattern can name them all) get the bundle
 * policy too, as the live server sends them (src/routes/static-files.ts).
 * Hosts that join a header named by two matching rules send both policies,
 * and a browser then enforces both: still no script in such a file, and
 * `nosniff` from `/*` keeps it from being read as another type. (https://docs.netlify.com/manage/routing/headers/,
 * https://developers.cloudflare.com/pages/configuration/headers/)
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ROUTES } from '../content/urls.js';

/** The headers helmet sets on every live response (src/http/security-headers.ts), as they are written. */
export const SECURITY_HEADERS = [
  'Content-Security-Policy',
  'X-Content-Type-Options',
  'X-Frame-Options',
  'Referrer-Policy',
  'Cross-Origin-Opener-Policy',
  'Cross-Origin-Resource-Policy',
  'Origin-Agent-Cluster',
  'Strict-Transport-Security',
] as const;

export const HEADERS_FILE = '_headers';

/** `/posts/:slug/*`: the route of bundle files, in the pattern syntax those hosts share (a `*` at the end). */
const BUNDLE_FILES = ROUTES.bundleFile.replace(/\*\w+$/, '*');

/**
 * `page`: the headers of a live page; `bundleCsp`: the policy of bundle and
 * static files; `staticFiles`: the URLs of the files of `content/static/`.
 */
export function headersFile(page: IncomingHttpHeaders, bundleCsp: string, staticFiles: readonly string[] = []): string {
  const lines = [
    '# Written by `npm run export`: the headers the live Lede server sends, for hosts that',
    '# read a _headers file (Netlify, Cloudflare Pages). Other hosts must send the same:',
    '# see "Static export" in Lede\'s docs/deploying.md.',
    '/*',
  ];
  for (const name of SECURITY_HEADERS) {
    const value = page[name.toLowerCase()];
    if (typeof value === 'string') lines.push(`  ${name}: ${value}`);
  }
  lines.push(
    '',
    '# Files beside a post: an SVG there may hold a script; nothing in them may run.',
    BUNDLE_FILES,
    `  Content-Security-Policy: ${bundleCsp}`,
    '',
  );
  if (staticFiles.length > 0) lines.push('# The site-wide files of content/static/, sandboxed like files beside a post.');
  for (const url of staticFiles) lines.push(url, `  Content-Security-Policy: ${bundleCsp}`, '');
  return lines.join('\n');
}
