/**
 * The frontmatter schema: what a post can say (the sample article defines it),
 * with the other names of a field that docs/writing-posts.md lists
 * (`date` for `publish_date`, `hero_image` and `image` for `heroImage`).
 * Unknown keys pass through to templates.
 */
import { z } from 'zod';
import { checkMarkdownLinks, checkUrl } from '../validate/safe-url.js';

/**
 * Text an author may write bare: YAML reads `title: 1984` or `slug: 2024`
 * as a number, and the author meant the text.
 */
const asText = (value: unknown): unknown => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value);
const text = z.preprocess(asText, z.string());
const requiredText = z.preprocess(asText, z.string().trim().min(1));
const dateText = z.union([z.string(), z.date()]);
/** A URL an author writes: http(s), mailto or relative (src/validate/safe-url.ts). */
const url = z.string().trim().min(1).check(checkUrl);
/** Inline markdown (or `false`) whose links follow the same rule. */
const cta = z.union([z.string(), z.literal(false)]).check(checkMarkdownLinks);

export const frontmatterSchema = z.looseObject({
  title: requiredText,
  subtitle: text.optional(),
  description: text.optional(),
  author: requiredText.optional(),
  read_time: z.union([z.string().trim().min(1), z.number().positive()]).optional(),
  publish_date: dateText.optional(),
  date: dateText.optional(),
  created_date: dateText.optional(),
  updated_date: dateText.optional(),
  heroImage: url.optional(),
  hero_image: url.optional(),
  image: url.optional(),
  heroImageAlt: text.optional(),
  cta: cta.optional(),
  tags: z.union([z.array(z.union([z.string(), z.number()])), z.string()]).optional(),
  draft: z.boolean().optional(),
  slug: requiredText.optional(),
  canonical_url: url.optional(),
  /** `false` hides the table of contents; `true` shows it even for a short post. */
  toc: z.boolean().optional(),
  /** Old addresses of a renamed post: slugs or paths, each a 301 to the post. */
  aliases: z.union([text, z.array(text)]).optional(),
});

export type Frontmatter = z.infer<typeof frontmatterSchema>;

/** The keys the schema knows; everything else is passed through as `extra`. */
export const KNOWN_KEYS: ReadonlySet<string> = new Set(Object.keys(frontmatterSchema.shape));
