/**
 * The crawl of a static export: every starting URL is requested from the
 * live app on a loopback port as a reader would, what answers 200 is placed
 * (src/cli/export-output.ts), and every same-site link in it (pages,
 * stylesheets, feeds and sitemaps) is requested in turn, so a page the
 * templates link to is never left out (docs/deploying.md, "Static export").
 * Redirects are kept for the end; links that do not answer are reported.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import * as cheerio from 'cheerio';
import type { ExportOutput, Redirect } from './export-output.js';
import { OPTIONAL_ROUTES } from './export-plan.js';

export interface BrokenLink {
  /** The page the link is on. */
  readonly from: string;
  readonly href: string;
  readonly status: number;
}

export interface Fetched {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What the crawl found besides the files it placed. */
export interface Crawled {
  /** Redirects, to be written as pages after every page and file has its place: a real page always wins. */
  readonly redirects: readonly Redirect[];
  /** Starting points that did not answer, and same-site links that do not answer 200 or a redirect, each once per page. */
  brokenLinks(): BrokenLink[];
}

/** Requests every URL from `seeds` on, `concurrency` at a time, placing what answers in `output`. */
export async function crawlSite(port: number, site: URL, seeds: readonly string[], output: ExportOutput, concurrency: number): Promise<Crawled> {
  const crawl = new Crawl(port, site, seeds, output);
  await crawl.drain(concurrency);
  return crawl;
}

interface QueuedPath {
  readonly path: string;
  /** The page that linked to it; undefined for a starting point. */
  readonly from: string | undefined;
}

class Crawl implements Crawled {
  private readonly queue: QueuedPath[];
  private readonly seen: Set<string>;
  /** The status each path answered, and every same-site link seen, for the broken-link report. */
  private readonly statuses = new Map<string, number>();
  private readonly edges: { from: string; to: string; href: string }[] = [];
  /** Starting points that did not answer. */
  private readonly brokenStarts: BrokenLink[] = [];
  readonly redirects: Redirect[] = [];

  constructor(
    private readonly port: number,
    private readonly site: URL,
    seeds: readonly string[],
    private readonly output: ExportOutput,
  ) {
    this.queue = seeds.map((p) => ({ path: p, from: undefined }));
    this.seen = new Set(seeds);
  }

  /**
   * A small pool of workers drains the queue; links found add to it. After a
   * failure no new request starts, and the crawl fails only once every
   * request in flight has settled: none may still be writing into the
   * staging folder while it is removed.
   */
  drain(concurrency: number): Promise<void> {
    let active = 0;
    let failure: { error: unknown } | undefined;
    return new Promise<void>((resolve, reject) => {
      const pump = (): void => {
        if (active === 0 && (failure || this.queue.length === 0)) return failure ? reject(failure.error) : resolve();
        while (!failure && active < concurrency && this.queue.length > 0) {
          const item = this.queue.shift()!;
          active++;
          this.visit(item)
            .catch((error: unknown) => void (failure ??= { error }))
            .finally(() => {
              active--;
              pump();
            });
        }
      };
      pump();
    });
  }

  brokenLinks(): BrokenLink[] {
    const broken = [...this.brokenStarts];
    // Each broken link is reported once per page, however often the page repeats it.
    const reported = new Set<string>();
    for (const edge of this.edges) {
      const status = this.statuses.get(edge.to)!;
      if (status === 200 || (status >= 300 && status < 400) || reported.has(`${edge.from} ${edge.to}`)) continue;
      reported.add(`${edge.from} ${edge.to}`);
      broken.push({ from: edge.from, href: edge.href, status });
    }
    return broken;
  }

  private async visit(item: QueuedPath): Promise<void> {
    const res = await fetchPath(this.port, item.path);
    this.statuses.set(item.path, res.status);
    const type = String(res.headers['content-type'] ?? 'application/octet-stream');
    if (res.status >= 300 && res.status < 400 && res.headers.location) {
      const to = internalPath(res.headers.location, this.site, item.path);
      if (to === undefined) return;
      this.edges.push({ from: item.path, to, href: res.headers.location });
      this.enqueue(to, item.path);
      this.redirects.push({ path: item.path, to, from: item.from });
      return;
    }
    if (res.status !== 200) {
      if (item.from === undefined && !OPTIONAL_ROUTES.includes(item.path)) this.brokenStarts.push({ from: '(start)', href: item.path, status: res.status });
      return;
    }
    await this.output.place(item.path, item.from, res.body, type, type.startsWith('text/html'), res.headers);
    for (const href of linksIn(res.body.toString('utf8'), type)) {
      const to = internalPath(href, this.site, item.path);
      if (to === undefined) continue;
      this.edges.push({ from: item.path, to, href });
      this.enqueue(to, item.path);
    }
  }

  private enqueue(urlPath: string, from: string): void {
    if (this.seen.has(urlPath)) return;
    this.seen.add(urlPath);
    this.queue.push({ path: urlPath, from });
  }
}

/** Every URL a page, stylesheet or XML file points at. */
export function linksIn(text: string, type: string): string[] {
  if (type.startsWith('text/html')) {
    const $ = cheerio.load(text);
    const links: string[] = [];
    $('a[href], link[href], area[href]').each((_, el) => void links.push($(el).attr('href')!));
    $('img[src], script[src], source[src], video[src], audio[src], iframe[src], track[src]').each((_, el) => void links.push($(el).attr('src')!));
    // The diagram script loads mermaid's when a diagram nears the viewport: its address is in `data-mermaid`.
    $('script[data-mermaid]').each((_, el) => void links.push($(el).attr('data-mermaid')!));
    $('img[srcset], source[srcset]').each((_, el) => {
      for (const candidate of $(el).attr('srcset')!.split(',')) {
        const url = candidate.trim().split(/\s+/)[0];
        if (url) links.push(url);
      }
    });
    $('[style]').each((_, el) => void links.push(...cssUrls($(el).attr('style')!)));
    $('style').each((_, el) => void links.push(...cssUrls($(el).text())));
    return links;
  }
  if (type.startsWith('text/css')) return cssUrls(text);
  if (/xml/.test(type))
    return [...text.matchAll(/<(?:loc|link)>\s*([^<\s]+)\s*<\/(?:loc|link)>|<link[^>]*\shref="([^"]+)"/g)].map((m) => decodeXml(m[1] ?? m[2]!));
  return [];
}

function cssUrls(css: string): string[] {
  return [...css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)].map((m) => m[2]!);
}

function decodeXml(text: string): string {
  return text
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
}

/** The path of a same-site URL (query and fragment dropped), or undefined for another site, `mailto:` and the like. */
export function internalPath(href: string, site: URL, fromPath: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href, new URL(fromPath, site));
  } catch {
    return undefined;
  }
  if (url.origin !== site.origin) return undefined;
  const base = site.pathname.replace(/\/$/, '');
  if (base && !url.pathname.startsWith(`${base}/`) && url.pathname !== base) return undefined;
  const p = url.pathname.slice(base.length) || '/';
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** What the app answers at `urlPath`, read whole, uncompressed. */
export function fetchPath(port: number, urlPath: string, headers: Record<string, string> = {}): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: urlPath, headers: { 'Accept-Encoding': 'identity', ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}
