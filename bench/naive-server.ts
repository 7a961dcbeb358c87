/**
 * The naive design, for comparison: every request reads the file, parses its
 * frontmatter and markdown and renders the EJS views, with Express's defaults.
 * It uses Lede's own parser and renderer, so only the caching differs.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import { loadConfig } from '../src/config.js';
import { parsePost } from '../src/content/parse-post.js';
import { parseName } from '../src/content/slug.js';
import { signatureOf } from '../src/content/find-posts.js';
import { runBodyJob, type PageBody } from '../src/render/body-job.js';
import { Renderer } from '../src/render/renderer.js';
import { loadVendorAssets } from '../src/http/vendor-assets.js';

const config = loadConfig();
const renderer = new Renderer(config, { assets: loadVendorAssets() });
const app = express();
app.get('/posts/:slug', (req, res, next) => {
  const file = path.join(config.contentDir, `${req.params.slug}.md`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return next();
  }
  const parsed = parsePost(
    { file, relPath: path.basename(file), bundleDir: undefined, name: parseName(req.params.slug), signature: signatureOf(statSync(file)), bytes },
    { author: config.site.author, timezone: config.site.timezone },
  );
  if (!parsed.ok) return next();
  const { post } = parsed;
  // In-process, as a naive server would: no render threads.
  const body = runBodyJob({ kind: 'page', markdown: post.body, rawHtml: config.site.raw_html }) as PageBody;
  res.type('html').send(renderer.article(post, body).html);
});
app.listen(config.port, () => console.log('naive server up'));
