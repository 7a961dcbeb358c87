import type { FileSignature } from './post.js';

/**
 * A file a page was made from (a post's image, say), with its signature
 * when it was read: the page is kept only while the file is unchanged.
 */
export interface FileDependency {
  readonly path: string;
  readonly signature: FileSignature;
}
