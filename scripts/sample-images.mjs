/**
 * Draws the images of the bundled sample article
 * (content/deepseek-rising-challenger/): abstract art made here, as SVG
 * rendered by sharp to WebP, so the sample has no remote image and no one
 * else's picture. The same drawing every run (a seeded random sequence).
 *
 *   node scripts/sample-images.mjs [folder]
 *
 * writes hero.webp (3:2, the hero above the article and on its card) and
 * network.webp (16:9, the figure at the top of the text), each well under
 * 200 KB. These images are dedicated to the public domain (CC0), like the
 * script that draws them.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const folder = process.argv[2] ?? path.join(ROOT, 'content', 'deepseek-rising-challenger');

/** mulberry32: a small seeded generator, so the drawing is the same every run. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Nodes scattered over the picture, each joined to its nearest neighbours: a network seen from afar. */
function network(width, height, { seed, nodes, colours }) {
  const next = random(seed);
  const points = Array.from({ length: nodes }, () => ({ x: next() * width, y: next() * height, r: 2 + next() * 6 }));
  const lines = [];
  for (const [i, p] of points.entries()) {
    const nearest = points
      .map((q, j) => ({ j, d: Math.hypot(p.x - q.x, p.y - q.y) }))
      .filter(({ j }) => j > i)
      .sort((a, b) => a.d - b.d)
      .slice(0, 3);
    for (const { j, d } of nearest) {
      const q = points[j];
      const opacity = Math.max(0.08, 0.5 - d / (width * 0.6)).toFixed(2);
      lines.push(
        `<line x1="${p.x.toFixed(1)}" y1="${p.y.toFixed(1)}" x2="${q.x.toFixed(1)}" y2="${q.y.toFixed(1)}" stroke="${colours.line}" stroke-opacity="${opacity}" stroke-width="1.5"/>`,
      );
    }
  }
  const dots = points.map((p) => `<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="${p.r.toFixed(1)}" fill="${colours.node}" fill-opacity="0.85"/>`);
  return [...lines, ...dots].join('\n');
}

/** Large soft discs of light behind the network. */
function glows(width, height, { seed, count }) {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const r = (0.15 + next() * 0.3) * width;
    return `<circle cx="${(next() * width).toFixed(0)}" cy="${(next() * height).toFixed(0)}" r="${r.toFixed(0)}" fill="url(#glow)" fill-opacity="${(0.35 + next() * 0.4).toFixed(2)}"/>`;
  }).join('\n');
}

function picture(width, height, { seed, from, to, glow, nodes, colours }) {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<defs>
  <linearGradient id="sky" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient>
  <radialGradient id="glow"><stop offset="0" stop-color="${glow}" stop-opacity="0.9"/><stop offset="1" stop-color="${glow}" stop-opacity="0"/></radialGradient>
</defs>
<rect width="${width}" height="${height}" fill="url(#sky)"/>
${glows(width, height, { seed: seed + 1, count: 5 })}
${network(width, height, { seed, nodes, colours })}
</svg>`;
}

const IMAGES = [
  {
    file: 'hero.webp',
    width: 1800,
    height: 1200,
    art: { seed: 7, from: '#0b1d3a', to: '#0f5c63', glow: '#3fd0c9', nodes: 90, colours: { line: '#9be7e2', node: '#e9fbff' } },
  },
  {
    file: 'network.webp',
    width: 1600,
    height: 900,
    art: { seed: 21, from: '#2a0f3d', to: '#b3472f', glow: '#ffb15c', nodes: 70, colours: { line: '#ffd7a8', node: '#fff4e6' } },
  },
];

mkdirSync(folder, { recursive: true });
for (const { file, width, height, art } of IMAGES) {
  const out = path.join(folder, file);
  const info = await sharp(Buffer.from(picture(width, height, art)))
    .webp({ quality: 78, effort: 6 })
    .toFile(out);
  console.log(`${path.relative(ROOT, out)}: ${info.width}x${info.height}, ${(info.size / 1024).toFixed(0)} KB`);
}
