/**
 * What a page bundle may serve, and how. Bundles hold the images and
 * downloads of a post; they are written by authors, who are not trusted with
 * script (posts are sanitized), so a bundle file must never become a page
 * that runs script from this site's origin: no HTML, no JavaScript, and
 * everything else sent with a policy that sandboxes it when opened directly
 * (an SVG with a `<script>` inside, say).
 */

/** Media that articles embed or link to: images, audio, video, PDFs, text and archives. */
const SERVABLE = /\.(png|jpe?g|gif|webp|avif|svg|ico|bmp|tiff?|mp4|m4v|webm|ogv|mov|mp3|m4a|ogg|oga|opus|wav|flac|vtt|pdf|txt|csv|zip)$/i;

/** One segment of a bundle file's path: no dot files or folders, no separators, nothing to decode. */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

/** A file (in the bundle or a sub-folder of it) that may be served: checked before any file system call. */
export function isServableBundlePath(segments: readonly string[]): boolean {
  return segments.length > 0 && segments.length <= 8 && segments.every((s) => SEGMENT.test(s)) && SERVABLE.test(segments.at(-1)!);
}

/** Replaces the page policy for bundle files: nothing active, even as a top-level document. */
export const BUNDLE_FILE_CSP = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox";
