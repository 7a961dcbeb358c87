/**
 * The renderer: turns posts into complete HTML pages. It knows nothing of
 * HTTP; routes hand it posts and get back strings.
 */
import type { Config } from '../config.js';
import { formatDate, type PostDate } from '../content/dates.js';
import type { AuthorProfile } from '../content/author-directory.js';
import type { ContentError, Post } from '../content/post.js';
import { slugify } from '../content/slug.js';
import type { Term } from '../content/taxonomy.js';
import { headMeta, type PageMeta } from './head-meta.js';
import { ARCHIVE_URL, assetUrl, authorUrl, pageUrl, postUrl, ROUTES, searchUrl, TAGS_URL, tagUrl, termUrl, viewUrls } from '../content/urls.js';
import { NEEDS_NOTHING, renderInline, type PageNeeds, type Rendered } from './markdown.js';
import { tableOfContents } from './toc.js';
import { Views } from './views.js';
import { viewFolders } from './theme.js';
import type {
  ArchiveYear,
  AuthorView,
  CardView,
  CommonLocals,
  DateView,
  LiveReloadView,
  NavLinkView,
  PaginationView,
  ViewData,
  ViewName,
} from './view-data.js';
import type { FileDependency } from '../content/file-dependency.js';
import { SiteImages } from '../images/site-images.js';
import { pictureSources, responsiveHtml, SIZES, type PictureView } from '../images/responsive.js';
import { socialCardUrl } from '../content/urls.js';

export interface Pagination {
  page: number;
  totalPages: number;
  /** URL of page n. */
  urlFor: (page: number) => string;
}

export type { CardView, DateView };
export type { PageMeta, PageNeeds };

/** A page made from markdown, and what it needs beyond the theme (for its Content-Security-Policy). */
export interface MarkdownPage {
  readonly html: string;
  readonly needs: PageNeeds;
}

export type { LiveReloadView };

/** The self-hosted packages' URLs a page may link (src/http/vendor-assets.ts hashes them once, at start-up). */
export type PageAssets = CommonLocals['assets'];

/** What a search found, as the search page shows it (src/search/site-search.ts answers it). */
export type SearchAnswerView =
  | {
      readonly ready: true;
      readonly total: number;
      readonly hits: readonly { readonly url: string; readonly title: string; readonly date: PostDate | undefined; readonly snippet: string }[];
    }
  | { readonly ready: false; readonly indexed: number; readonly total: number };

export interface RendererOptions {
  /** Pages carry the live-reload script (development only). */
  liveReload?: boolean;
  /** KaTeX's stylesheet and mermaid's script, for the pages that need them. */
  assets: PageAssets;
  /** The site's images (sizes, variants, social cards); one of its own when left out. */
  images?: SiteImages;
}

/** Error pages kept at most (`Renderer.error`). */
const MAX_ERROR_PAGES = 64;

export class Renderer {
  private readonly views: Views;
  /** Error pages already made, for the settings they were made with. */
  private errorPages: { site: Config['site']; pages: Map<string, string> };
  private readonly liveReload: LiveReloadView | undefined;
  private readonly assets: PageAssets;
  readonly images: SiteImages;

  constructor(
    private readonly config: Config,
    options: RendererOptions,
  ) {
    // The theme's views first, then the built-in ones (src/render/theme.ts).
    this.views = new Views(viewFolders(config));
    this.images = options.images ?? new SiteImages(config);
    this.liveReload = options.liveReload ? { script: assetUrl('live-reload.js'), endpoint: ROUTES.liveReload } : undefined;
    this.assets = options.assets;
    this.errorPages = { site: config.site, pages: new Map() };
  }

  /** Reads the views (a theme's too) again on the next render: one of them changed. */
  forgetViews(): void {
    this.views.forget();
    this.errorPages = { site: this.config.site, pages: new Map() };
  }

  /** `imageFiles`, when given, is told the local hero images the cards show (as in `article`). */
  index(posts: readonly Post[], pagination: Pagination, imageFiles?: FileDependency[]): string {
    const { site } = this.config;
    const title = pagination.page > 1 ? `${site.title}: page ${pagination.page}` : site.title;
    return this.page(
      'index',
      { path: pagination.urlFor(pagination.page), title, description: site.description },
      {
        heading: site.title,
        intro: site.description,
        cards: posts.map((p) => this.card(p, imageFiles)),
        pagination: this.paginationView(pagination),
      },
    );
  }

  /**
   * `problem`: outside production, the article is the last good version of a
   * file that is broken now, and the page says so. `imageFiles`, when given,
   * is told the local image files the page was made from (their sizes and
   * hashes are in it), so the page can be kept only while they are unchanged.
   */
  article(
    post: Post,
    rendered: Rendered,
    neighbours: { newer?: Post | undefined; older?: Post | undefined } = {},
    problem?: ContentError,
    imageFiles?: FileDependency[],
  ): MarkdownPage {
    const cta = post.cta === false ? undefined : (post.cta ?? this.config.site.cta);
    const rawHtml = this.config.site.raw_html;
    // The body comes rendered from a render thread (src/render/post-bodies.ts), at most
    // MAX_BODY_HTML_BYTES; its images are sized here, from the site's image catalog. The
    // CTA is bounded (MAX_TEXT_CHARS), so rendering it here costs well under a millisecond.
    const bundle = post.bundleDir ? { slug: post.slug, dir: post.bundleDir } : undefined;
    const images = responsiveHtml(rendered.html, { catalog: this.images.catalog, bundle });
    const body = { ...rendered, html: images.html };
    const hero = this.hero(post);
    imageFiles?.push(...images.files, ...hero.files);
    const toc = tableOfContents(body.outline, post.toc);
    const ctaHtml = cta ? renderInline(cta, { rawHtml }) : undefined;
    const html = this.page(
      'post',
      {
        path: postUrl(post),
        title: `${post.title} | ${this.config.site.title}`,
        description: post.description,
        canonical: post.canonicalUrl,
        post,
        card: post.heroImage
          ? undefined
          : socialCardUrl(post.slug, this.images.cardHash({ title: post.title, siteName: this.config.site.title, author: post.author })),
      },
      {
        post: {
          ...post.extra,
          title: post.title,
          subtitle: post.subtitle,
          description: post.description,
          author: post.author,
          authorUrl: authorUrl(post.author),
          authors: authorViews(post),
          readTime: post.readTime,
          published: this.dateView(post.published),
          created: post.created && this.dateView(post.created),
          updated: post.updated && this.dateView(post.updated),
          heroImage: hero.refused ? undefined : post.heroImage,
          heroImageAlt: post.heroImageAlt,
          heroPicture: hero.picture,
          heroLink: hero.refused ? post.heroImage : undefined,
          tags: post.tags.map((name) => ({ name, slug: slugify(name), url: tagUrl(name) })),
          draft: post.draft,
        },
        bodyHtml: body.html,
        toc,
        ctaHtml,
        // A CTA with one link becomes one big click target (see .cta--action in style.css).
        ctaLinks: ctaHtml ? (ctaHtml.match(/<a\s/g) ?? []).length : 0,
        newer: neighbours.newer && this.card(neighbours.newer),
        older: neighbours.older && this.card(neighbours.older),
        problem: problem && { location: `${problem.file}${problem.line ? `:${problem.line}` : ''}`, message: problem.message },
      },
      body.needs,
    );
    return { html, needs: body.needs };
  }

  /**
   * A standalone page from `content/pages/`: its own view, with no byline,
   * date or CTA unless the page sets them, and no newer or older post.
   */
  standalonePage(page: Post, body: Rendered, problem?: ContentError): MarkdownPage {
    const rawHtml = this.config.site.raw_html;
    const given = (...fields: string[]): boolean => fields.some((f) => page.fieldLines[f] !== undefined);
    const ctaHtml = typeof page.cta === 'string' && page.cta ? renderInline(page.cta, { rawHtml }) : undefined;
    const html = this.page(
      'page',
      { path: pageUrl(page.slug), title: `${page.title} | ${this.config.site.title}`, description: page.description, canonical: page.canonicalUrl },
      {
        page: {
          ...page.extra,
          title: page.title,
          subtitle: page.subtitle,
          author: given('author') ? page.author : undefined,
          published: given('publish_date', 'date') ? this.dateView(page.published) : undefined,
          updated: page.updated && this.dateView(page.updated),
          heroImage: page.heroImage,
          heroImageAlt: page.heroImageAlt,
          draft: page.draft,
        },
        bodyHtml: body.html,
        ctaHtml,
        ctaLinks: ctaHtml ? (ctaHtml.match(/<a\s/g) ?? []).length : 0,
        problem: problem && { location: `${problem.file}${problem.line ? `:${problem.line}` : ''}`, message: problem.message },
      },
      body.needs,
    );
    return { html, needs: body.needs };
  }

  /** The archive: every published post, by year and month, newest first, one line each. */
  archive(posts: readonly Post[]): string {
    const { site } = this.config;
    return this.page(
      'archive',
      { path: ARCHIVE_URL, title: `Archive | ${site.title}`, description: `Every post on ${site.title}, newest first.` },
      {
        heading: 'Archive',
        count: posts.length,
        years: this.archiveYears(posts),
      },
    );
  }

  /**
   * Posts (newest first) grouped by the year and month of their calendar
   * date as written (`2024-02-09` is February 2024 in every time zone).
   */
  private archiveYears(posts: readonly Post[]): ArchiveYear[] {
    const years: { year: number; months: { name: string; id: string; posts: { url: string; title: string; date: DateView }[] }[] }[] = [];
    const monthName = new Intl.DateTimeFormat(this.config.site.locale, { month: 'long', timeZone: 'UTC' });
    for (const post of posts) {
      const [y, m] = post.published.date.slice(0, 7).split('-').map(Number) as [number, number];
      let year = years.at(-1);
      if (year?.year !== y) years.push((year = { year: y, months: [] }));
      const id = `${y}-${String(m).padStart(2, '0')}`;
      let month = year.months.at(-1);
      if (month?.id !== id) year.months.push((month = { name: monthName.format(Date.UTC(y, m - 1, 1)), id, posts: [] }));
      month.posts.push({ url: postUrl(post), title: post.title, date: this.dateView(post.published) });
    }
    return years;
  }

  /**
   * The hero image as the view writes it: its dimensions and variants when it
   * is a local image, `refused` when it is one that cannot be shown (corrupt,
   * a decompression bomb: the page links to it instead).
   */
  private hero(post: Post): { picture: PictureView | undefined; refused: boolean; files: FileDependency[] } {
    const url = post.heroImage;
    const image = url ? this.images.catalog.find(url, post.bundleDir ? { slug: post.slug, dir: post.bundleDir } : undefined) : undefined;
    if (!url || !image) return { picture: undefined, refused: false, files: [] };
    const files = [{ path: image.file, signature: image.signature }];
    if (!image.probe.ok) return { picture: undefined, refused: true, files };
    const facts = image.probe;
    return { picture: { width: facts.width, height: facts.height, sizes: SIZES.hero, sources: pictureSources(url, facts) }, refused: false, files };
  }

  error(status: number, title: string, message: string, detail?: string): string {
    // The same few pages again and again (a 404 for each deleted post a reader still asks for,
    // each probe of a crawler): kept while the settings and views are those they were made with.
    const key = `${status}\0${title}\0${message}\0${detail ?? ''}\0${new Date().getUTCFullYear()}`;
    if (this.errorPages.site !== this.config.site) this.errorPages = { site: this.config.site, pages: new Map() };
    const kept = this.errorPages.pages.get(key);
    if (kept !== undefined) return kept;
    const page = this.page(
      'error',
      { path: '', title: `${title} | ${this.config.site.title}`, description: message, noindex: true },
      { status, heading: title, message, detail },
    );
    // Bounded: a message may carry what a client sent.
    if (this.errorPages.pages.size >= MAX_ERROR_PAGES) this.errorPages.pages.clear();
    this.errorPages.pages.set(key, page);
    return page;
  }

  /** The tag index: every tag with the number of its posts. */
  tagIndex(tags: readonly Term[]): string {
    const { site } = this.config;
    return this.page(
      'tags',
      { path: TAGS_URL, title: `Tags | ${site.title}`, description: `Every topic on ${site.title}, with its number of posts.` },
      {
        heading: 'Tags',
        tags: tags.map((tag) => ({ name: tag.name, url: termUrl('tag', tag.slug), count: tag.posts.length })),
      },
    );
  }

  /**
   * One page of the posts of a tag or an author, laid out as the index is.
   * `imageFiles` collects the card images the page depends on; `profile` is an
   * author's bio, link and avatar from `authors.yml`, shown above their posts.
   */
  termListing(
    kind: 'tag' | 'author',
    term: Term,
    posts: readonly Post[],
    pagination: Pagination,
    extra: { imageFiles?: FileDependency[]; profile?: AuthorProfile | undefined } = {},
  ): string {
    const { imageFiles, profile } = extra;
    const { site } = this.config;
    const heading = kind === 'tag' ? `Posts tagged “${term.name}”` : `Posts by ${term.name}`;
    const count = `${term.posts.length} ${term.posts.length === 1 ? 'post' : 'posts'}`;
    const title = `${heading}${pagination.page > 1 ? `: page ${pagination.page}` : ''} | ${site.title}`;
    const description = kind === 'tag' ? `${count} tagged “${term.name}” on ${site.title}.` : `${count} by ${term.name} on ${site.title}.`;
    return this.page(
      'index',
      { path: pagination.urlFor(pagination.page), title, description },
      {
        heading,
        intro: count,
        profile: profile && { bio: profile.bio, url: profile.url, avatar: profile.avatar },
        cards: posts.map((p) => this.card(p, imageFiles)),
        pagination: this.paginationView(pagination),
      },
    );
  }

  /**
   * The search page: the form (with the query in it), then the results of
   * `answer` with their snippets, or a word that the index is being built.
   * No query: the form alone. Never cached (src/routes/search.ts).
   */
  search(query: string, page: number, answer: SearchAnswerView | undefined, perPage: number): string {
    const { site } = this.config;
    const totalPages = answer?.ready ? Math.max(1, Math.ceil(answer.total / perPage)) : 1;
    const heading = query ? `Search results for “${query}”` : 'Search';
    const title = `${heading}${page > 1 ? `: page ${page}` : ''} | ${site.title}`;
    return this.page(
      'search',
      { path: ROUTES.search, title, description: `Search the posts of ${site.title}.`, noindex: true },
      {
        heading,
        query,
        searchQuery: query,
        building: answer && !answer.ready ? { indexed: answer.indexed, total: answer.total } : undefined,
        total: answer?.ready ? answer.total : 0,
        results: answer?.ready
          ? answer.hits.map((hit) => ({ url: hit.url, title: hit.title, date: hit.date && this.dateView(hit.date), snippetHtml: hit.snippet }))
          : [],
        pagination: answer?.ready ? this.paginationView({ page, totalPages, urlFor: (n) => searchUrl(query, n) }) : undefined,
      },
    );
  }

  /**
   * The page a broken post's URL shows outside production: the file, the
   * line, the problem and the lines around it (like a dev overlay).
   */
  contentError(status: number, problem: { location: string; message: string; frame: string | undefined }): string {
    return this.page(
      'content-error',
      { path: '', title: `Problem in ${problem.location} | ${this.config.site.title}`, description: problem.message },
      { status, ...problem },
    );
  }

  /** `needs`: what the head links beyond the theme (KaTeX's stylesheet, the diagram script); nothing by default. */
  private page<V extends ViewName>(view: V, meta: PageMeta, locals: ViewData[V], needs: PageNeeds = NEEDS_NOTHING): string {
    const { site } = this.config;
    const common: CommonLocals = {
      site,
      // Every address a view links to comes from src/content/urls.ts.
      urls: viewUrls,
      liveReload: this.liveReload,
      needs,
      // KaTeX's stylesheet and the diagram script, for the head when a page `needs` them.
      assets: this.assets,
      meta: headMeta(meta, this.config),
      path: meta.path,
      nav: site.nav.map((link): NavLinkView => ({ label: link.label, url: link.url, current: meta.path !== '' && link.url === meta.path })),
      footerHtml: site.footer_text ? renderInline(site.footer_text, { rawHtml: false }) : undefined,
      year: new Date().getUTCFullYear(),
    };
    return this.views.page(view, { ...locals, ...common });
  }

  /** A post on a listing; its hero image with its size and variants when `imageFiles` collects what the page depends on. */
  private card(post: Post, imageFiles?: FileDependency[]): CardView {
    const hero = imageFiles ? this.hero(post) : undefined;
    if (hero) imageFiles!.push(...hero.files);
    return {
      url: postUrl(post),
      title: post.title,
      summary: post.subtitle ?? post.description,
      author: post.author,
      authorUrl: authorUrl(post.author),
      authors: authorViews(post),
      date: this.dateView(post.published),
      readTime: post.readTime,
      heroImage: hero?.refused ? undefined : post.heroImage,
      heroImageAlt: post.heroImageAlt,
      heroPicture: hero?.picture,
      draft: post.draft,
    };
  }

  private dateView(date: PostDate): DateView {
    return { datetime: date.iso, text: formatDate(date, this.config.site.locale) };
  }

  private paginationView(p: Pagination): PaginationView | undefined {
    if (p.totalPages <= 1) return undefined;
    return {
      page: p.page,
      totalPages: p.totalPages,
      newer: p.page > 1 ? p.urlFor(p.page - 1) : undefined,
      older: p.page < p.totalPages ? p.urlFor(p.page + 1) : undefined,
    };
  }
}

function authorViews(post: Post): AuthorView[] {
  return post.authors.map((name) => ({ name, url: authorUrl(name) }));
}
