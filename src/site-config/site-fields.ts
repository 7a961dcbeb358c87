/**
 * The site's title, description, author, base URL and time zone as its
 * generator's config gives them (each tool names them its own way), for
 * Lede's settings to take as defaults: `_site.yml` wins (src/settings.ts).
 * A value of the wrong shape is left out, never an error: the config is the
 * other tool's, not Lede's.
 */
import type { RecognisedSite } from './recognise-site.js';
import { isTimeZone } from '../validate/time-zone.js';

export interface SiteFields {
  readonly title?: string;
  readonly description?: string;
  readonly author?: string;
  readonly timezone?: string;
  /** Where the site was published (`https://example.com/blog`), without a trailing slash. */
  readonly baseUrl?: string;
}

/** Where each tool keeps each field, as key paths; the first that holds a usable value wins. */
const WHERE: Readonly<Record<string, Readonly<Record<keyof SiteFields, readonly string[]>>>> = {
  jekyll: {
    title: ['title', 'name'],
    description: ['description', 'tagline'],
    author: ['author.name', 'author'],
    timezone: ['timezone'],
    baseUrl: ['url+baseurl'],
  },
  hexo: { title: ['title'], description: ['description', 'subtitle'], author: ['author'], timezone: ['timezone'], baseUrl: ['url'] },
  hugo: {
    title: ['title'],
    description: ['params.description', 'description'],
    author: ['params.author.name', 'params.author', 'author.name', 'author'],
    timezone: ['timezone'],
    baseUrl: ['baseurl'],
  },
  zola: { title: ['title'], description: ['description'], author: ['author', 'extra.author'], timezone: [], baseUrl: ['base_url'] },
  mkdocs: { title: ['site_name'], description: ['site_description'], author: ['site_author'], timezone: [], baseUrl: ['site_url'] },
};

export function siteFieldsOf(site: RecognisedSite | undefined): SiteFields {
  const where = site && WHERE[site.tool];
  if (!site || !where) return {};
  // Hugo's keys are case-insensitive (`baseURL`, `baseurl`, `Title`).
  const config = site.tool === 'hugo' ? lowerKeys(site.config) : site.config;
  const fields: Record<string, string> = {};
  for (const [field, paths] of Object.entries(where)) {
    for (const keyPath of paths) {
      const value = keyPath.includes('+') ? joined(config, keyPath.split('+')) : text(valueAt(config, keyPath));
      if (value === undefined) continue;
      if (field === 'timezone' && !isTimeZone(value)) continue;
      if (field === 'baseUrl') {
        if (!/^https?:\/\/[^/\s]+/i.test(value)) continue;
        fields[field] = value.replace(/\/+$/, '');
      } else fields[field] = value;
      break;
    }
  }
  return fields;
}

/** Jekyll's `url` and `baseurl` make one address together. */
function joined(config: Readonly<Record<string, unknown>>, keys: readonly string[]): string | undefined {
  const parts = keys.map((key) => text(valueAt(config, key)) ?? '');
  if (!parts[0]) return undefined;
  return parts[0].replace(/\/+$/, '') + (parts[1] ? `/${parts[1].replace(/^\/+/, '')}` : '');
}

function valueAt(config: Readonly<Record<string, unknown>>, keyPath: string): unknown {
  let value: unknown = config;
  for (const key of keyPath.split('.')) {
    if (!value || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function lowerKeys(value: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const lowered = inner && typeof inner === 'object' && !Array.isArray(inner) ? lowerKeys(inner as Record<string, unknown>) : inner;
    Object.defineProperty(out, key.toLowerCase(), { value: lowered, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The Hugo config with its keys in lower case, as Hugo reads it (for the permalink rules). */
export function configOf(site: RecognisedSite): Readonly<Record<string, unknown>> {
  return site.tool === 'hugo' ? lowerKeys(site.config) : site.config;
}
