/**
 * Content folders for the benchmark: the sample article alone, and the
 * sample plus 9,999 generated posts of a similar size; each with a
 * standalone page (`/about`, the sample's text) and a site-wide file
 * (`/img/logo.png`, 8 KB).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SAMPLE_SLUG = 'deepseek-rising-challenger';
export const PAGE_PATH = '/about';
export const STATIC_PATH = '/img/logo.png';

export function makeContent(dir: string, root: string, posts: number): string {
  mkdirSync(dir, { recursive: true });
  const sample = path.join(root, 'content', `${SAMPLE_SLUG}.md`);
  copyFileSync(sample, path.join(dir, `${SAMPLE_SLUG}.md`));
  copyFileSync(path.join(root, 'content', '_site.yml'), path.join(dir, '_site.yml'));
  const body = readFileSync(sample, 'utf8').split(/^---$/m).slice(2).join('---');
  mkdirSync(path.join(dir, 'pages'), { recursive: true });
  writeFileSync(path.join(dir, 'pages', 'about.md'), `---\ntitle: "About this blog"\n---\n${body}`);
  mkdirSync(path.join(dir, 'static', 'img'), { recursive: true });
  // A PNG signature, then bytes that do not compress: as a real image would.
  const png = Buffer.alloc(8192);
  Buffer.from('89504e470d0a1a0a', 'hex').copy(png);
  for (let i = 8; i < png.length; i++) png[i] = (i * 2654435761) >>> 24;
  writeFileSync(path.join(dir, 'static', 'img', 'logo.png'), png);
  const tags = ['ai', 'science', 'policy', 'open source', 'hardware', 'research', 'startups', 'culture'];
  for (let i = 1; i < posts; i++) {
    const day = new Date(Date.UTC(2015, 0, 1) + i * 6 * 3600 * 1000).toISOString().slice(0, 10);
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
