/**
 * The image part of `npm run check`: each local image a post shows (in its
 * body or as its hero, from its bundle or `content/static/`) is read as the
 * server would read it (the header: a decompression bomb or a corrupt header
 * is named) and then decoded whole with sharp, bounded as the variant maker
 * is, which finds files that are corrupt past their header. The server
 * serves such images as plain links; `check` says which and why. It also
 * names frontmatter text the social card cannot show as written.
 */
import path from 'node:path';
import sharp from 'sharp';
import { lineOf } from '../content/line-at.js';
import { linkFromOf } from '../content/link-site.js';
import type { ContentError, Post } from '../content/post.js';
import { render } from '../render/markdown.js';
import type { ImageCatalog } from '../images/catalog.js';
import { mayShowLocalImage } from '../images/local-image-refs.js';
import { MAX_IMAGE_PIXELS } from '../images/probe.js';
import { XML_INVALID } from '../images/social-card.js';
import { renderedMarkdownOf } from '../content/parse-post.js';

const IMG_SRC = /<img\b[^<>]*?\ssrc="([^"]*)"/gi;

/** `fileText` gives the post's source, to find the line of each image; `body` is the post's, as in `linkRefProblems`. Never throws. */
export async function imageProblems(
  post: Post,
  catalog: ImageCatalog,
  fileText: () => string,
  body: string = renderedMarkdownOf(post),
): Promise<ContentError[]> {
  const bundle = post.bundleDir ? { slug: post.slug, dir: post.bundleDir } : undefined;
  let html = '';
  // Rendered only when it may show an image file of the site: not for images on other sites.
  if (mayShowLocalImage(body)) {
    try {
      html = render(body, { links: { from: linkFromOf(post, true) } }).html;
    } catch {
      return [];
    }
  }
  const urls = new Set<string>();
  if (post.heroImage) urls.add(post.heroImage);
  for (const match of html.matchAll(IMG_SRC)) urls.add(match[1]!.replace(/&amp;/g, '&'));
  const problems: ContentError[] = [];
  for (const url of urls) {
    const image = await catalog.resolve(url, bundle);
    if (!image) continue;
    const name = path.basename(image.file);
    const line = lineOf(fileText(), name);
    // Refused from its header: pages link to it. Corrupt past the header: pages show it, but no variant can be made.
    const problem = image.probe.ok ? await decodeProblem(image.file) : `${image.probe.message}; pages link to it instead of showing it`;
    if (problem) problems.push({ file: post.relPath, line, message: `image "${url}" ${problem}` });
  }
  return problems;
}

/** Why the whole file cannot be decoded, or `undefined` when it can. */
async function decodeProblem(file: string): Promise<string | undefined> {
  try {
    await sharp(file, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error', pages: 1 }).resize({ width: 16 }).toBuffer();
    return undefined;
  } catch (err) {
    return `cannot be decoded (${(err as Error).message.split('\n')[0]}); it may be corrupt or cut short, and readers get the file as it is, without smaller variants`;
  }
}

/** The fields of a post that its social card shows (src/images/social-card.ts). */
const CARD_FIELDS = ['title', 'author'] as const;

/**
 * A warning for each card field holding characters XML cannot hold (a
 * control character pasted into a title): the card leaves them out, and the
 * author should know the title is not what they see.
 */
export function cardTextNotices(post: Post): ContentError[] {
  return CARD_FIELDS.flatMap((field) => {
    const found = [...new Set(Array.from(post[field].matchAll(XML_INVALID), (m) => codePoint(m[0])))];
    if (!found.length) return [];
    const them = found.length === 1 ? 'it' : 'them';
    const message = `${field} holds ${found.join(', ')}, which XML cannot hold: the social card leaves ${them} out; remove ${them} from the ${field}`;
    return [{ file: post.relPath, line: post.fieldLines[field], message }];
  });
}

/** `U+0001`, as an author can search for it. */
function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
