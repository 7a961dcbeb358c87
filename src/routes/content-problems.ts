/**
 * Outside production only: the URL of a broken post (a file with no good
 * version) shows what is wrong with it, with the lines around the problem,
 * instead of a puzzling 404. Mounted after the post routes, so a post that
 * parses, or its last good version, always wins.
 *
 * Status 422 (RFC 9110, section 15.5.21: the server understood the request
 * but cannot process the content it names): the page is not a fault of the
 * server, so 5xx alerts and retries stay meaningful; and it is an error
 * status, so nothing caches or indexes the page as the post.
 */
import { readFile } from 'node:fs/promises';
import type { Router, Response } from 'express';
import { formatContentError } from '../content/post.js';
import type { BrokenPost } from '../content/store.js';
import { ROUTES, routeClaiming } from '../content/urls.js';
import type { RouteContext } from './context.js';
import { strictRouter } from './router.js';

export const CONTENT_ERROR_STATUS = 422;

/** Lines shown on each side of the line with the problem. */
const CONTEXT_LINES = 3;

export function contentProblemRoutes(ctx: RouteContext): Router {
  const router = strictRouter();
  router.get(ROUTES.post, async (req, res, next) => {
    const broken = ctx.store.problemFor(req.params.slug);
    if (!broken) return next();
    await sendProblem(ctx, broken, res);
  });
  return router;
}

/** The same for a standalone page with no good version; mounted after the pages, so routes and good pages win. */
export function pageProblemRoutes(ctx: RouteContext): Router {
  const router = strictRouter();
  router.get(ROUTES.page, async (req, res, next) => {
    const broken = ctx.pages.problemFor(req.params.slug!);
    if (!broken || routeClaiming(req.path)) return next();
    await sendProblem(ctx, broken, res);
  });
  return router;
}

async function sendProblem(ctx: RouteContext, broken: BrokenPost, res: Response): Promise<void> {
  const { error } = broken;
  const location = `${error.file}${error.line ? `:${error.line}` : ''}`;
  const frame = broken.file && error.line ? await codeFrame(broken.file, error.line, ctx.config.maxPostBytes) : undefined;
  res.status(CONTENT_ERROR_STATUS);
  res.setHeader('Cache-Control', 'no-store');
  res.format({
    html: () => {
      res.type('html').send(ctx.renderer.contentError(CONTENT_ERROR_STATUS, { location, message: error.message, frame }));
    },
    json: () => res.json({ error: { status: CONTENT_ERROR_STATUS, file: error.file, line: error.line ?? null, message: error.message } }),
    default: () => res.type('text').send(`${formatContentError(error)}\n`),
  });
}

/** The lines around `line`, numbered, the line itself marked with `>` (as compilers print them). */
async function codeFrame(file: string, line: number, maxBytes: number): Promise<string | undefined> {
  const bytes = await readFile(file).catch(() => undefined);
  if (!bytes || bytes.length > maxBytes) return undefined;
  const lines = bytes.toString('utf8').split(/\r?\n/);
  const first = Math.max(1, line - CONTEXT_LINES);
  const last = Math.min(lines.length, line + CONTEXT_LINES);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = lines[n - 1]!;
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`);
  }
  return out.join('\n');
}
