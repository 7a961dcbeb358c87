/**
 * The search of a static export, measured (docs/search.md, "In a static
 * export"): `npx tsx bench/static-search.ts [POSTS]` makes a content folder
 * of the sample article and POSTS - 1 generated posts of its size
 * (bench/content.ts), writes the export's index file for it
 * (src/cli/export-search.ts), and prints its size (whole and per post; and
 * compressed, of a file of the sample and the page alone, since the
 * generated posts share one body and compress far better than real ones), the time to build the index
 * from it (what the search page does once it has loaded it, in the
 * browser's V8 as here) and each query of SEARCH_QUERIES (p50 / p99).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { createApp } from '../src/app.js';
import { searchIndexFile } from '../src/cli/export-search.js';
import { loadConfig, PACKAGE_ROOT } from '../src/config.js';
import { StaticSearch, type StaticIndexFile } from '../src/search/static-search.js';
import { makeContent } from './content.js';
import { percentile, SEARCH_QUERIES } from './search-queries.js';

const posts = Number(process.argv[2] ?? 1000);
const root = mkdtempSync(path.join(tmpdir(), 'lede-bench-static-search-'));

async function indexFile(count: number): Promise<StaticIndexFile> {
  const dir = makeContent(path.join(root, `content-${count}`), PACKAGE_ROOT, count);
  const app = createApp(loadConfig({ CONTENT_DIR: dir, NODE_ENV: 'production', LOG_LEVEL: 'silent' }, PACKAGE_ROOT));
  try {
    return await searchIndexFile(app, 'en-GB');
  } finally {
    app.store.close();
    app.pages.close();
  }
}

const compressed = (json: string): { gzip: number; brotli: number } => ({
  gzip: gzipSync(json, { level: 9 }).length,
  brotli: brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

try {
  const one = JSON.stringify(await indexFile(1));
  const file = await indexFile(posts);
  const json = JSON.stringify(file);
  let started = performance.now();
  const search = new StaticSearch(JSON.parse(json) as StaticIndexFile);
  const buildMs = performance.now() - started;
  for (const query of SEARCH_QUERIES) search.search(query, 1);
  const times: number[] = [];
  for (const query of SEARCH_QUERIES) {
    started = performance.now();
    search.search(query, 1);
    times.push(performance.now() - started);
  }
  const documents = file.documents.length;
  console.log(
    JSON.stringify({
      documents,
      bytes: json.length,
      bytesPerDocument: Math.round(json.length / documents),
      sampleAndPage: { bytes: one.length, ...compressed(one) },
      whole: compressed(json),
      buildMs: Math.round(buildMs),
      queryMs: { p50: +percentile(times, 50).toFixed(2), p99: +percentile(times, 99).toFixed(2) },
    }),
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
