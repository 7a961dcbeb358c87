/**
 * The heap one prepared response head holds (src/cache/prepared-head.ts),
 * with a page's 18 headers: `node --expose-gc --import tsx bench/head-memory.mts`.
 */
import { prepareHead, type PreparedHead } from '../src/cache/prepared-head.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const csp =
  "default-src 'self'; script-src 'self' 'sha256-abc'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'; upgrade-insecure-requests";
const headers = (i: number): string[] => [
  'Content-Type',
  'text/html; charset=utf-8',
  'Content-Length',
  String(10_000 + i),
  'ETag',
  `"${i.toString(16).padStart(43, 'a')}"`,
  'Last-Modified',
  'Sun, 29 Nov 2026 20:00:00 GMT',
  'Cache-Control',
  'public, max-age=0, must-revalidate',
  'Vary',
  'Accept-Encoding',
  'Content-Security-Policy',
  csp,
  'Cross-Origin-Opener-Policy',
  'same-origin',
  'Cross-Origin-Resource-Policy',
  'same-origin',
  'Origin-Agent-Cluster',
  '?1',
  'Referrer-Policy',
  'no-referrer',
  'Strict-Transport-Security',
  'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options',
  'nosniff',
  'X-DNS-Prefetch-Control',
  'off',
  'X-Download-Options',
  'noopen',
  'X-Frame-Options',
  'SAMEORIGIN',
  'X-Permitted-Cross-Domain-Policies',
  'none',
  'Surrogate-Key',
  `post-${i} posts index tags/ai`,
];
const count = 10_000;
gc();
const before = process.memoryUsage().heapUsed;
const kept: PreparedHead[] = [];
for (let i = 0; i < count; i++) kept.push(prepareHead(headers(i)));
gc();
const bytes = (process.memoryUsage().heapUsed - before) / count;
console.log(`${count} prepared heads: ${Math.round(bytes)} bytes each (${kept.length})`);
