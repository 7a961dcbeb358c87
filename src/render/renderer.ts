/**
 * The renderer: turns posts into complete HTML pages. It knows nothing of
 * HTTP; routes hand it posts and get back strings.
 */
import type { Config } from '../config.js';
import { formatDate, type PostDate } from '../content/dates.js';
import type { ContentError, Post } from '../content/post.js';
import { slugify } from '../content/slug.js';
import type { Term } from '../content/taxonomy.js';
import { headMeta, type PageMeta } from './head-meta.js';
import { assetUrl, authorUrl, postUrl, ROUTES, TAGS_URL, tagUrl, termUrl, viewUrls } from '../content/urls.js';
import { render, renderInline } from './markdown.js';
import { tableOfContents } from './toc.js';
import { Views, type Locals } from './views.js';

export interface Pagination {
  page: number;
  totalPages: number;
  /** URL of page n. */
  urlFor: (page: number) => string;
}

export interface DateView {
  datetime: string;
  text: string;
}

export interface CardView {
  url: string;
  title: string;
  summary: string;
  author: string;
  /** The author's page; none for a name with no letters or digits. */
  authorUrl: string | undefined;
  date: DateView;
  readTime: string;
  heroImage: string | undefined;
  heroImageAlt: string;
  draft: boolean;
}

export type { PageMeta };

/** The live-reload script a page carries in development (src/http/live-reload.ts). */
export interface LiveReloadView {
  script: string;
  endpoint: string;
}

export interface RendererOptions {
  /** Pages carry the live-reload script (development only). */
  liveReload?: boolean;
}

export class Renderer {
  private readonly views: Views;
  private readonly liveReload: LiveReloadView | undefined;

  constructor(
    private readonly config: Config,
    options: RendererOptions = {},
  ) {
    this.views = new Views(config.viewsDir);
    this.liveReload = options.liveReload ? { script: assetUrl('live-reload.js'), endpoint: ROUTES.liveReload } : undefined;
  }

  /** Reads the views again on the next render: one of them changed. */
  forgetViews(): void {
    this.views.forget();
  }

  index(posts: readonly Post[], pagination: Pagination): string {
    const { site } = this.config;
    const title = pagination.page > 1 ? `${site.title}: page ${pagination.page}` : site.title;
    return this.page('index', { path: pagination.urlFor(pagination.page), title, description: site.description }, {
      heading: site.title,
      intro: site.description,
      cards: posts.map((p) => this.card(p)),
      pagination: this.paginationView(pagination),
    });
  }

  /**
   * `problem`: outside production, the article is the last good version of a
   * file that is broken now, and the page says so.
   */
  article(post: Post, neighbours: { newer?: Post | undefined; older?: Post | undefined } = {}, problem?: ContentError): string {
    const cta = post.cta === false ? undefined : (post.cta ?? this.config.site.cta);
    const rawHtml = this.config.site.raw_html;
    const body = render(post.body, { bundle: post.bundleDir ? post.slug : undefined, rawHtml });
    const toc = tableOfContents(body.outline, post.toc);
    const ctaHtml = cta ? renderInline(cta, { rawHtml }) : undefined;
    return this.page(
      'post',
      { path: postUrl(post), title: `${post.title} | ${this.config.site.title}`, description: post.description, canonical: post.canonicalUrl, post },
      {
        post: {
          ...post.extra,
          title: post.title,
          subtitle: post.subtitle,
          description: post.description,
          author: post.author,
          authorUrl: authorUrl(post.author),
          readTime: post.readTime,
          published: this.dateView(post.published),
          created: post.created && this.dateView(post.created),
          updated: post.updated && this.dateView(post.updated),
          heroImage: post.heroImage,
          heroImageAlt: post.heroImageAlt,
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
    );
  }

  error(status: number, title: string, message: string, detail?: string): string {
    return this.page('error', { path: '', title: `${title} | ${this.config.site.title}`, description: message, noindex: true }, { status, heading: title, message, detail });
  }

  /** The tag index: every tag with the number of its posts. */
  tagIndex(tags: readonly Term[]): string {
    const { site } = this.config;
    return this.page('tags', { path: TAGS_URL, title: `Tags | ${site.title}`, description: `Every topic on ${site.title}, with its number of posts.` }, {
      heading: 'Tags',
      tags: tags.map((tag) => ({ name: tag.name, url: termUrl('tag', tag.slug), count: tag.posts.length })),
    });
  }

  /** One page of the posts of a tag or an author, laid out as the index is. */
  termListing(kind: 'tag' | 'author', term: Term, posts: readonly Post[], pagination: Pagination): string {
    const { site } = this.config;
    const heading = kind === 'tag' ? `Posts tagged “${term.name}”` : `Posts by ${term.name}`;
    const count = `${term.posts.length} ${term.posts.length === 1 ? 'post' : 'posts'}`;
    const title = `${heading}${pagination.page > 1 ? `: page ${pagination.page}` : ''} | ${site.title}`;
    const description = kind === 'tag' ? `${count} tagged “${term.name}” on ${site.title}.` : `${count} by ${term.name} on ${site.title}.`;
    return this.page('index', { path: pagination.urlFor(pagination.page), title, description }, {
      heading,
      intro: count,
      cards: posts.map((p) => this.card(p)),
      pagination: this.paginationView(pagination),
    });
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

  private page(view: string, meta: PageMeta, locals: Locals): string {
    const { site } = this.config;
    return this.views.page(view, {
      ...locals,
      site,
      // Every address a view links to comes from src/content/urls.ts.
      urls: viewUrls,
      liveReload: this.liveReload,
      meta: headMeta(meta, this.config),
      year: new Date().getUTCFullYear(),
    });
  }

  private card(post: Post): CardView {
    return {
      url: postUrl(post),
      title: post.title,
      summary: post.subtitle ?? post.description,
      author: post.author,
      authorUrl: authorUrl(post.author),
      date: this.dateView(post.published),
      readTime: post.readTime,
      heroImage: post.heroImage,
      heroImageAlt: post.heroImageAlt,
      draft: post.draft,
    };
  }

  private dateView(date: PostDate): DateView {
    return { datetime: date.iso, text: formatDate(date, this.config.site.locale) };
  }

  private paginationView(p: Pagination): Locals | undefined {
    if (p.totalPages <= 1) return undefined;
    return {
      page: p.page,
      totalPages: p.totalPages,
      newer: p.page > 1 ? p.urlFor(p.page - 1) : undefined,
      older: p.page < p.totalPages ? p.urlFor(p.page + 1) : undefined,
    };
  }
}
