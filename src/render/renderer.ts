/**
 * The renderer: turns posts into complete HTML pages. It knows nothing of
 * HTTP; routes hand it posts and get back strings.
 */
import type { Config } from '../config.js';
import { formatDate, type PostDate } from '../content/dates.js';
import type { Post } from '../content/post.js';
import { slugify } from '../content/slug.js';
import { renderInline, renderMarkdown } from './markdown.js';
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
  date: DateView;
  readTime: string;
  heroImage: string | undefined;
  heroImageAlt: string;
  draft: boolean;
}

export interface PageMeta {
  title: string;
  description: string;
  /** Path of the page, for the canonical link. */
  path: string;
  canonical?: string | undefined;
}

export class Renderer {
  private readonly views: Views;
  /** Counts article renders, so tests can prove an unchanged post is not rendered again. */
  renderCount = 0;

  constructor(private readonly config: Config) {
    this.views = new Views(config.viewsDir);
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

  article(post: Post, neighbours: { newer?: Post | undefined; older?: Post | undefined } = {}): string {
    this.renderCount++;
    const cta = post.cta === false ? undefined : (post.cta ?? this.config.site.cta);
    return this.page(
      'post',
      { path: postUrl(post), title: `${post.title} | ${this.config.site.title}`, description: post.description, canonical: post.canonicalUrl },
      {
        post: {
          ...post.extra,
          title: post.title,
          subtitle: post.subtitle,
          description: post.description,
          author: post.author,
          readTime: post.readTime,
          published: this.dateView(post.published),
          created: post.created && this.dateView(post.created),
          updated: post.updated && this.dateView(post.updated),
          heroImage: post.heroImage,
          heroImageAlt: post.heroImageAlt,
          tags: post.tags.map((name) => ({ name, slug: slugify(name) })),
          draft: post.draft,
        },
        bodyHtml: renderMarkdown(post.body, { bundleSlug: post.bundleDir ? post.slug : undefined }),
        ctaHtml: cta ? renderInline(cta) : undefined,
        newer: neighbours.newer && this.card(neighbours.newer),
        older: neighbours.older && this.card(neighbours.older),
      },
    );
  }

  error(status: number, title: string, message: string, detail?: string): string {
    return this.page('error', { path: '', title: `${title} | ${this.config.site.title}`, description: message }, { status, heading: title, message, detail });
  }

  private page(view: string, meta: PageMeta, locals: Locals): string {
    const { site, siteUrl } = this.config;
    return this.views.page(view, {
      ...locals,
      site,
      meta: {
        ...meta,
        canonical: meta.canonical ?? (meta.path ? `${siteUrl}${meta.path}` : undefined),
      },
      year: new Date().getUTCFullYear(),
    });
  }

  private card(post: Post): CardView {
    return {
      url: postUrl(post),
      title: post.title,
      summary: post.subtitle ?? post.description,
      author: post.author,
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

export function postUrl(post: Pick<Post, 'slug'>): string {
  return `/posts/${post.slug}`;
}
