/**
 * Which generator a content folder that is a whole blog repository was made
 * for, told by the config file at its root (docs/moving-from-another-generator.md,
 * "A whole blog repository"), and that file read as data when it is
 * declarative (YAML, TOML or JSON). A JavaScript or Python config is code:
 * Lede never runs it, it only names it.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { readRegularFileSync } from '../files/read-regular.js';
import { readYaml } from '../validate/yaml.js';

export type SiteTool = 'jekyll' | 'hugo' | 'hexo' | 'zola' | 'eleventy' | 'astro' | 'docusaurus' | 'mkdocs' | 'obsidian';

/** The names the tools go by, in messages. */
export const TOOL_NAMES: Readonly<Record<SiteTool, string>> = {
  jekyll: 'Jekyll',
  hugo: 'Hugo',
  hexo: 'Hexo',
  zola: 'Zola',
  eleventy: 'Eleventy',
  astro: 'Astro',
  docusaurus: 'Docusaurus',
  mkdocs: 'MkDocs',
  obsidian: 'Obsidian',
};

export interface RecognisedSite {
  readonly tool: SiteTool;
  /** The config file that told, relative to the content folder (`_config.yml`, `.obsidian`). */
  readonly configFile: string;
  /** The config as data: empty for a config that is code, or one that could not be read. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Set when the config is code (`astro.config.mjs`): Lede does not run it, so nothing is read from it. */
  readonly code: boolean;
  /** Why the config could not be read, when it could not. */
  readonly problem: string | undefined;
}

/** A config file is a few KB; a larger one is not read. */
const MAX_CONFIG_BYTES = 512 * 1024;

const CODE = /\.(js|cjs|mjs|ts|cts|mts)$/;

/**
 * The generator whose config file is at the root of `dir`, or `undefined`
 * for a plain content folder. Never throws.
 */
export function recogniseSite(dir: string): RecognisedSite | undefined {
  let names: Set<string>;
  try {
    names = new Set(readdirSync(dir));
  } catch {
    return undefined;
  }
  const first = (...candidates: string[]): string | undefined => candidates.find((name) => names.has(name) && isFile(path.join(dir, name)));
  const codeConfig = (prefix: string): string | undefined => [...names].sort().find((name) => name.startsWith(prefix) && CODE.test(name));

  const docusaurus = codeConfig('docusaurus.config.');
  if (docusaurus) return code('docusaurus', docusaurus);
  const astro = codeConfig('astro.config.');
  if (astro) return code('astro', astro);
  const eleventy = first('.eleventy.js', '.eleventy.cjs') ?? codeConfig('eleventy.config.');
  if (eleventy) return code('eleventy', eleventy);
  const mkdocs = first('mkdocs.yml', 'mkdocs.yaml');
  if (mkdocs) return read(dir, 'mkdocs', mkdocs);
  const hugo = first('hugo.toml', 'hugo.yaml', 'hugo.yml', 'hugo.json');
  if (hugo) return read(dir, 'hugo', hugo);
  const jekyllOrHexo = first('_config.yml', '_config.yaml');
  if (jekyllOrHexo) {
    const site = read(dir, 'jekyll', jekyllOrHexo);
    const hexo = 'new_post_name' in site.config || 'source_dir' in site.config || names.has('scaffolds') || existsSync(path.join(dir, 'source', '_posts'));
    return hexo ? { ...site, tool: 'hexo' } : site;
  }
  // `config.*` is a common name: it says Hugo or Zola only with their `content/` folder beside it.
  const config = names.has('content') ? first('config.toml', 'zola.toml', 'config.yaml', 'config.yml', 'config.json') : undefined;
  if (config) {
    const site = read(dir, 'hugo', config);
    // Zola's keys are snake_case (`base_url`, `[markdown]`); Hugo's are `baseURL` (any case) and `[params]`.
    const zola = 'base_url' in site.config || 'markdown' in site.config || 'compile_sass' in site.config || config === 'zola.toml';
    return zola ? { ...site, tool: 'zola' } : site;
  }
  if (names.has('config') && existsSync(path.join(dir, 'config', '_default'))) {
    const inside = ['hugo.toml', 'hugo.yaml', 'config.toml', 'config.yaml'].find((name) => isFile(path.join(dir, 'config', '_default', name)));
    if (inside) return read(dir, 'hugo', `config/_default/${inside}`);
  }
  // Jekyll runs without a config file: `_posts/` with its templates (`_layouts/`, `_includes/`) or its `Gemfile` beside it.
  // A `_posts/` folder alone is a content folder's own business (copied there, and named by `check`).
  const jekyllMark = names.has('_layouts') || names.has('_includes') || names.has('Gemfile');
  if (jekyllMark && names.has('_posts') && statSync(path.join(dir, '_posts'), { throwIfNoEntry: false })?.isDirectory()) {
    return { tool: 'jekyll', configFile: '_posts/', config: {}, code: false, problem: undefined };
  }
  if (names.has('.obsidian') && statSync(path.join(dir, '.obsidian'), { throwIfNoEntry: false })?.isDirectory()) {
    return { tool: 'obsidian', configFile: '.obsidian', config: {}, code: false, problem: undefined };
  }
  return undefined;
}

function code(tool: SiteTool, configFile: string): RecognisedSite {
  return { tool, configFile, config: {}, code: true, problem: undefined };
}

function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

/** The config file as data, by its extension; a problem in words when it cannot be read. */
function read(dir: string, tool: SiteTool, configFile: string): RecognisedSite {
  const site = (config: Record<string, unknown>, problem?: string): RecognisedSite => ({ tool, configFile, config, code: false, problem });
  let text: string;
  try {
    text = readRegularFileSync(path.join(dir, configFile), MAX_CONFIG_BYTES, 'the limit for a config file').bytes.toString('utf8');
  } catch (err) {
    return site({}, `cannot be read: ${(err as Error).message}`);
  }
  const data = parseConfig(configFile, text);
  return typeof data === 'string' ? site({}, data) : site(data);
}

/** YAML, TOML or JSON by the file's extension: the data, or what is wrong with it. */
export function parseConfig(configFile: string, text: string): Record<string, unknown> | string {
  const ext = path.extname(configFile).toLowerCase();
  let data: unknown;
  try {
    if (ext === '.toml') data = parseToml(text);
    else if (ext === '.json') data = JSON.parse(text);
    else {
      // MkDocs configs name Python objects (`!!python/name:material.emoji.twemoji`): only the values Lede reads matter.
      const yaml = readYaml(text.replace(/!!python\/[^\s]+/g, "''"));
      if (!yaml.ok) return `is not valid YAML${yaml.line ? ` (line ${yaml.line})` : ''}: ${yaml.message}`;
      data = yaml.data;
    }
  } catch (err) {
    return `is not valid ${ext === '.json' ? 'JSON' : 'TOML'}: ${(err as Error).message.split('\n')[0]}`;
  }
  return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}
