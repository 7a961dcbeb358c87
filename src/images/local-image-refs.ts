/**
 * Whether a body may show an image that is a file of the site: the cheap
 * test before `npm run check` renders a body to find its images
 * (src/cli/image-problems.ts). Apart from sharp, so a render thread can
 * run it without loading the image library.
 */

/** An inline image whose address names a scheme (`https:`, `data:`): never a file of the site. */
const REMOTE_IMAGE = /^!\[[^\][\n]*\]\(\s*<?[a-z][a-z0-9+.-]*:/i;

/**
 * False only when the body shows no image that could be a file of the site:
 * no raw `<img`, and each markdown image (`![`) an inline one with an address
 * on another site. Only those two render to an <img>; any other form (a
 * reference, brackets in the alt text) counts as maybe.
 */
export function mayShowLocalImage(markdown: string): boolean {
  if (/<img\b/i.test(markdown)) return true;
  for (let i = markdown.indexOf('!['); i >= 0; i = markdown.indexOf('![', i + 2)) {
    if (!REMOTE_IMAGE.test(markdown.slice(i, i + 2048))) return true;
  }
  return false;
}
