/**
 * The theme interface: every view, and the data it is rendered with. The
 * renderer is typed against `ViewData`, so what this file says is what a
 * view gets (docs/themes.md lists the same). A theme's `views/<name>.ejs`
 * replaces the built-in one and receives exactly these locals.
 *
 * Every view and partial also gets `CommonLocals`. Partials are included by
 * the layout (`partials/head`, `partials/meta`, `partials/header`,
 * `partials/footer`) with the locals of the page, and by listings
 * (`partials/card`) with `{ card: CardView, lead: boolean }` added.
 */
import type { PictureView } from '../images/responsive.js';
import type { SiteSettings } from '../settings.js';
import type { ViewUrls } from '../content/urls.js';
import type { HeadMeta } from './head-meta.js';
import type { TocEntry } from './toc.js';
import type { PageNeeds } from './markdown.js';

export interface DateView {
  /** ISO 8601, for `<time datetime>`. */
  datetime: string;
  /** As readers see it (`9 February 2024`, in the site's `locale`). */
  text: string;
}

/** One post in a listing (`partials/card`), and the article's neighbours. */
export interface CardView {
  url: string;
  title: string;
  summary: string;
  author: string;
  /** The author's page; none for a name with no letters or digits. */
  authorUrl: string | undefined;
  /** Every byline (`author` is the first), each with its page. */
  authors: readonly AuthorView[];
  date: DateView;
  readTime: string;
  heroImage: string | undefined;
  heroImageAlt: string;
  /** A local hero image's own size and its AVIF/WebP variants; none for a remote one. */
  heroPicture?: PictureView | undefined;
  draft: boolean;
}

/** One byline: a post may have several (`authors: [a, b]`). */
export interface AuthorView {
  name: string;
  /** The author's page; none for a name with no letters or digits. */
  url: string | undefined;
}

/** An author's profile from `authors.yml`, shown on their page. */
export interface AuthorProfileView {
  bio: string | undefined;
  url: string | undefined;
  avatar: string | undefined;
}

export interface PaginationView {
  page: number;
  totalPages: number;
  /** The URL of the newer (previous) page, if any. */
  newer: string | undefined;
  /** The URL of the older (next) page, if any. */
  older: string | undefined;
}

/** One link of the header's navigation (`nav` in `_site.yml`). */
export interface NavLinkView {
  label: string;
  url: string;
  /** True on the page the link leads to: the header marks it `aria-current="page"`. */
  current: boolean;
}

/** The live-reload script a page carries in development (src/http/live-reload.ts). */
export interface LiveReloadView {
  script: string;
  endpoint: string;
}

/** What every view, the layout and every partial receive. */
export interface CommonLocals {
  /** The site settings from `content/_site.yml` (title, description, locale, branding keys…). */
  site: Readonly<SiteSettings>;
  /** Address helpers (src/content/urls.ts): `urls.index`, `urls.archive`, `urls.asset('style.css')`… */
  urls: ViewUrls;
  /** The `<head>` data: title, description, canonical link, Open Graph, feeds. */
  meta: HeadMeta;
  /** The path of this page (`/about`), empty for error pages. */
  path: string;
  /** The header's links, with the current page marked. */
  nav: readonly NavLinkView[];
  /** `footer_text` rendered as inline HTML (links allowed), or undefined. */
  footerHtml: string | undefined;
  /** The current year, for the copyright line. */
  year: number;
  /** Development only: the live-reload script, which `partials/head` includes; undefined in production. */
  liveReload: LiveReloadView | undefined;
  /** What this page needs beyond the theme: `math` (link `assets.katexCss`), `mermaid` (load `urls.asset('diagrams.js')`, which loads `assets.mermaidJs`, named in its `data-mermaid`, once a diagram nears the viewport). */
  needs: PageNeeds;
  /** The self-hosted packages' URLs, in content-hashed folders: KaTeX's stylesheet, mermaid's script, the bundled fonts' stylesheet and the faces to preload (`partials/head` links them unless the site's `fonts` is `system`). */
  assets: {
    katexCss: string;
    mermaidJs: string;
    fontsCss: string;
    fontPreloads: readonly string[];
    /** The page stylesheet (the built-in one, the fonts' rules folded in unless `fonts` is `system`), or undefined: then `style.css` and `fontsCss` are linked apart (a theme's `style.css`, development). */
    pageCss: { bundled: string; system: string } | undefined;
  };
  /** The page's own HTML, for `layouts/main` only. */
  body?: string;
  /** The search page's query, which the header's search form shows; undefined on every other page (they are cached and shared). */
  searchQuery?: string;
}

/** One result on the search page. */
export interface SearchResultView {
  url: string;
  title: string;
  date: DateView | undefined;
  /** HTML: the text around the match, escaped, with the matched words in `<mark>`. */
  snippetHtml: string;
}

export interface ArticleView {
  title: string;
  subtitle: string | undefined;
  description: string;
  author: string;
  authorUrl: string | undefined;
  /** Every byline (`author` is the first), each with its page. */
  authors: readonly AuthorView[];
  readTime: string;
  published: DateView;
  created: DateView | undefined;
  updated: DateView | undefined;
  heroImage: string | undefined;
  heroImageAlt: string;
  /** A local hero image's own size and its AVIF/WebP variants (`<picture>`); none for a remote one. */
  heroPicture: PictureView | undefined;
  /** A hero image that cannot be shown (corrupt, a decompression bomb): the page links to it. */
  heroLink: string | undefined;
  tags: readonly { name: string; slug: string; url: string | undefined }[];
  draft: boolean;
  /** Unknown frontmatter keys pass through. */
  [extra: string]: unknown;
}

/** Outside production: the page shows the last good version of a file that is broken now. */
export interface ProblemView {
  location: string;
  message: string;
}

/** A standalone page (`views/page.ejs`): no byline or date unless the page sets them. */
export interface StandalonePageView {
  title: string;
  subtitle: string | undefined;
  /** The page's `author`, only when its frontmatter names one. */
  author: string | undefined;
  /** The page's date, only when its frontmatter (or file name) gives one. */
  published: DateView | undefined;
  updated: DateView | undefined;
  heroImage: string | undefined;
  heroImageAlt: string;
  draft: boolean;
  [extra: string]: unknown;
}

/** One month of the archive, newest first. */
export interface ArchiveMonth {
  /** `February`, in the site's locale. */
  name: string;
  /** `2024-02`, for ids. */
  id: string;
  posts: readonly { url: string; title: string; date: DateView }[];
}

export interface ArchiveYear {
  year: number;
  months: readonly ArchiveMonth[];
}

/** Each view's own locals, by view name. */
export interface ViewData {
  /** `profile`: on an author's page, what `authors.yml` says of them. */
  index: { heading: string; intro: string; cards: readonly CardView[]; pagination: PaginationView | undefined; profile?: AuthorProfileView | undefined };
  post: {
    post: ArticleView;
    bodyHtml: string;
    toc: readonly TocEntry[] | undefined;
    ctaHtml: string | undefined;
    /** The number of links in the CTA: one makes the whole panel its click target. */
    ctaLinks: number;
    newer: CardView | undefined;
    older: CardView | undefined;
    problem: ProblemView | undefined;
  };
  page: { page: StandalonePageView; bodyHtml: string; ctaHtml: string | undefined; ctaLinks: number; problem: ProblemView | undefined };
  archive: { heading: string; count: number; years: readonly ArchiveYear[] };
  tags: { heading: string; tags: readonly { name: string; url: string; count: number }[] };
  error: { status: number; heading: string; message: string; detail: string | undefined };
  'content-error': { status: number; location: string; message: string; frame: string | undefined };
  search: {
    heading: string;
    query: string;
    searchQuery: string;
    /** While the index is being built (start-up with many posts): how far it is. */
    building: { indexed: number; total: number } | undefined;
    total: number;
    results: readonly SearchResultView[];
    pagination: PaginationView | undefined;
  };
}

export type ViewName = keyof ViewData;
