/**
 * Content folders for the benchmark: the sample article alone, and the
 * sample plus 9,999 generated posts of a similar size (or 99,999 of 8 KB
 * for --large); each with a standalone page (`/about`, the sample's text)
 * and a site-wide file (`/img/logo.png`, 8 KB).
 */
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SAMPLE_SLUG = 'deepseek-rising-challenger';
/** The sample is a bundle: its markdown and its images in one folder. */
export const SAMPLE_FILE = `${SAMPLE_SLUG}/index.md`;
export const PAGE_PATH = '/about';
export const STATIC_PATH = '/img/logo.png';

/** `bodyBytes`: each generated post's body is the sample's, repeated or cut to about that size. */
export function makeContent(dir: string, root: string, posts: number, bodyBytes?: number): string {
  mkdirSync(dir, { recursive: true });
  const sample = path.join(root, 'content', SAMPLE_FILE);
  cpSync(path.join(root, 'content', SAMPLE_SLUG), path.join(dir, SAMPLE_SLUG), { recursive: true });
  copyFileSync(path.join(root, 'content', '_site.yml'), path.join(dir, '_site.yml'));
  // Its figure is a file of its bundle: posts and the page elsewhere name it by its address.
  const sampleBody = readFileSync(sample, 'utf8').split(/^---$/m).slice(2).join('---').replace('](network.webp)', `](/posts/${SAMPLE_SLUG}/network.webp)`);
  const body = bodyBytes === undefined ? sampleBody : sized(sampleBody, bodyBytes);
  mkdirSync(path.join(dir, 'pages'), { recursive: true });
  writeFileSync(path.join(dir, 'pages', 'about.md'), `---\ntitle: "About this blog"\n---\n${sampleBody}`);
  mkdirSync(path.join(dir, 'static', 'img'), { recursive: true });
  // A PNG signature, then bytes that do not compress: as a real image would.
  const png = Buffer.alloc(8192);
  Buffer.from('89504e470d0a1a0a', 'hex').copy(png);
  for (let i = 8; i < png.length; i++) png[i] = (i * 2654435761) >>> 24;
  writeFileSync(path.join(dir, 'static', 'img', 'logo.png'), png);
  const tags = ['ai', 'science', 'policy', 'open source', 'hardware', 'research', 'startups', 'culture'];
  // Four posts a day from 2015 on, closer together when there are so many that they would reach the future (and be unpublished).
  const step = Math.min(6 * 3600 * 1000, (Date.UTC(2025, 0, 1) - Date.UTC(2015, 0, 1)) / posts);
  for (let i = 1; i < posts; i++) {
    const day = new Date(Date.UTC(2015, 0, 1) + i * step).toISOString().slice(0, 10);
    const front = [
      '---',
      `title: "Generated post number ${i}"`,
      `subtitle: "A subtitle for post ${i}"`,
      `author: "Author ${i % 37}"`,
      `publish_date: "${day}"`,
      `tags: ["${tags[i % tags.length]}", "${tags[(i * 3) % tags.length]}"]`,
      `heroImage: "https://images.example.com/${i}.webp"`,
      '---',
    ].join('\n');
    writeFileSync(path.join(dir, `post-${String(i).padStart(5, '0')}.md`), `${front}\n${body}`);
  }
  return dir;
}

/** The body repeated, then cut at the last paragraph that fits in `bytes`. */
function sized(body: string, bytes: number): string {
  let text = body;
  while (Buffer.byteLength(text) < bytes) text += `\n\n${body}`;
  const cut = text.lastIndexOf('\n\n', bytes);
  return cut > 0 ? `${text.slice(0, cut)}\n` : text;
}

export const IMAGES_SLUG = 'five-images';

/**
 * A page bundle with five JPEG photos (one of them 4000 x 3000), for the
 * rows that measure an article with images and the making of variants.
 * Made with sharp here: no binaries in the repository.
 */
export async function addImageBundle(dir: string): Promise<string[]> {
  const sharp = (await import('sharp')).default;
  const bundle = path.join(dir, IMAGES_SLUG);
  mkdirSync(bundle, { recursive: true });
  const sizes: [number, number][] = [
    [4000, 3000],
    [1600, 1200],
    [1200, 800],
    [2400, 1600],
    [800, 600],
  ];
  const names: string[] = [];
  for (const [i, [width, height]] of sizes.entries()) {
    const raw = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const at = (y * width + x) * 3;
        raw[at] = (x * 255) / width;
        raw[at + 1] = (y * 255) / height;
        raw[at + 2] = (x ^ y ^ (i * 40)) & 255;
      }
    }
    const name = `photo-${i + 1}.jpg`;
    await sharp(raw, { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 85 })
      .toFile(path.join(bundle, name));
    names.push(name);
  }
  const body = names.map((n, i) => `Paragraph ${i + 1} of an article with photos.\n\n![Photo ${i + 1}](${n})\n`).join('\n');
  writeFileSync(path.join(bundle, 'index.md'), `---\ntitle: "Five images"\npublish_date: "2024-01-01"\n---\n\n${body}`);
  return names.map((n) => path.join(bundle, n));
}
