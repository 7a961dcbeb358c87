/**
 * What a page tells the world about itself in its `<head>`: Open Graph
 * (https://ogp.me/), the Twitter card, JSON-LD structured data
 * (https://schema.org/BlogPosting) and feed autodiscovery. The view
 * `views/partials/meta.ejs` writes it out; this module decides it.
 */
import type { Config } from '../config.js';
import type { Post } from '../content/post.js';
import { assetUrl, authorUrl, FEED_URLS, siteLink } from '../content/urls.js';
import { absoluteUrl, isoMoment, lastChanged } from './links.js';
import { CARD_HEIGHT, CARD_WIDTH } from '../images/social-card.js';

/** What the renderer says about a page. */
export interface PageMeta {
  title: string;
  description: string;
  /** Path of the page, for the canonical link; empty for pages that have no address of their own (errors). */
  path: string;
  canonical?: string | undefined;
  /** The post, when the page is an article. */
  post?: Post | undefined;
  /** Keep the page out of search results (error pages). */
  noindex?: boolean;
  /** The generated social card of a post without a hero image (a site path). */
  card?: string | undefined;
}

export interface HeadMeta {
  title: string;
  description: string;
  canonical: string | undefined;
  siteName: string;
  /** `og:type`. */
  type: 'website' | 'article';
  /** `og:title`: the headline alone, without the site name. */
  ogTitle: string;
  locale: string;
  image: { url: string; alt: string; width?: number; height?: number } | undefined;
  twitterCard: 'summary' | 'summary_large_image';
  article:
    | {
        publishedTime: string;
        modifiedTime: string;
        author: string;
        /** The author's page (an Open Graph profile), absolute. */
        authorUrl: string | undefined;
        tags: readonly string[];
      }
    | undefined;
  /** The JSON-LD text, safe to put inside `<script type="application/ld+json">` as it is. */
  jsonLd: string | undefined;
  noindex: boolean;
  feeds: readonly { type: string; title: string; href: string }[];
}

export function headMeta(meta: PageMeta, config: Config): HeadMeta {
  const { site, siteUrl } = config;
  const own = meta.path ? siteLink(siteUrl, meta.path) : undefined;
  const canonical = meta.canonical ?? own;
  const post = meta.post;
  const image = post?.heroImage
    ? { url: absoluteUrl(post.heroImage, own ?? siteUrl), alt: post.heroImageAlt }
    : post && meta.card
      ? { url: siteLink(siteUrl, meta.card), alt: post.title, width: CARD_WIDTH, height: CARD_HEIGHT }
      : undefined;
  const authorPage = post && authorUrl(post.author);
  const article = post && {
    publishedTime: isoMoment(post.published, site.timezone),
    modifiedTime: isoMoment(lastChanged(post), site.timezone),
    author: post.author,
    authorUrl: authorPage && siteLink(siteUrl, authorPage),
    tags: post.tags,
  };
  return {
    title: meta.title,
    description: meta.description,
    canonical,
    siteName: site.title,
    type: post ? 'article' : 'website',
    ogTitle: post?.title ?? meta.title,
    // Open Graph writes locales with an underscore: `en_GB`.
    locale: site.locale.replace('-', '_'),
    image,
    twitterCard: image ? 'summary_large_image' : 'summary',
    article,
    jsonLd: post && article && canonical ? jsonLdText(blogPosting(post, config, { canonical, image: image?.url, ...article })) : undefined,
    noindex: meta.noindex ?? false,
    feeds: [
      { type: 'application/rss+xml', title: `${site.title} (RSS)`, href: FEED_URLS.rss },
      { type: 'application/atom+xml', title: `${site.title} (Atom)`, href: FEED_URLS.atom },
      { type: 'application/feed+json', title: `${site.title} (JSON Feed)`, href: FEED_URLS.json },
    ],
  };
}

function blogPosting(
  post: Post,
  config: Config,
  facts: { canonical: string; image: string | undefined; publishedTime: string; modifiedTime: string; authorUrl: string | undefined },
): Record<string, unknown> {
  const { site, siteUrl } = config;
  return {
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    headline: post.title,
    ...(post.subtitle ? { alternativeHeadline: post.subtitle } : {}),
    description: post.description,
    ...(facts.image ? { image: [facts.image] } : {}),
    datePublished: facts.publishedTime,
    dateModified: facts.modifiedTime,
    author:
      post.authors.length > 1
        ? post.authors.map((name) => ({ '@type': 'Person', name }))
        : { '@type': 'Person', name: post.author, ...(facts.authorUrl ? { url: facts.authorUrl } : {}) },
    publisher: {
      '@type': 'Organization',
      name: site.title,
      url: `${siteUrl}/`,
      logo: { '@type': 'ImageObject', url: siteLink(siteUrl, assetUrl('favicon.svg')) },
    },
    mainEntityOfPage: { '@type': 'WebPage', '@id': facts.canonical },
    url: facts.canonical,
    ...(post.tags.length ? { keywords: post.tags.join(', ') } : {}),
    wordCount: post.wordCount,
  };
}

/**
 * JSON for a `<script>` data block: `<`, `>` and `&` are written as `\u003c`
 * and so on (still the same JSON), so no text in a post can close the
 * element (`</script>`) or open a comment; U+2028/2029 are escaped for old
 * parsers that treat them as line ends.
 */
export function jsonLdText(data: unknown): string {
  return JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
