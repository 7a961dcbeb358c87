/**
 * The plain text of a post body as a reader sees it rendered, from the
 * renderer's own tokens (src/render/markdown.ts): math as its TeX without
 * delimiters, footnote marks and task boxes gone, each heading a sentence of
 * its own, code as its text, HTML without its tags and entities decoded.
 * Runs on a render thread, like the render (src/render/body-job.ts): marked
 * is not bounded on hostile input, the regex reading of src/content/text.ts
 * is what the main thread may use.
 */
import { decodeHTML } from 'entities';
import type { Token, Tokens } from 'marked';
import { beforeSeparator, countWords, excerpt, readableTex } from '../content/text.js';
import { bodyTokens } from './markdown.js';

export interface TextOptions {
  /** Keep code blocks' text (search); a summary leaves them out, as a card cannot show code. */
  readonly code: boolean;
}

/** Elements whose content is never read as text (src/render/sanitize.ts removes them with it); bounded, as in src/content/text.ts. */
const TEXTLESS = /<(script|style|iframe|template|title)\b[^<>]{0,1000}?(?:\/>|>(?:[^<]|<(?!\/?\1\b)){0,100000}?<\/\1\s*>)/gi;
/** Tags that end a block: their text is a sentence apart from what follows. */
const BLOCK_TAG = /<\/?(?:p|div|h[1-6]|li|ul|ol|br|tr|td|th|table|section|article|figure|figcaption|blockquote|pre|hr|details|summary)\b[^<>]*>/gi;
const LEFTOVER = /<code class="leftover">[^<]*<\/code>/g;
const LEFTOVER_OPEN = /^<code class="leftover">$/;
const ANY_TAG = /<[^<>]+>/g;
/** A sentence already ends here: no full stop is added after a heading that ends so. */
const ENDS_SENTENCE = /[.!?:;…]["'”’)]*$/u;

export function bodyText(markdown: string, options: TextOptions): string {
  return textOf(bodyTokens(markdown), options);
}

/** The text of tokens, whitespace collapsed. */
export function textOf(tokens: readonly Token[], options: TextOptions): string {
  const out: string[] = [];
  blocks(tokens, options, out);
  return out.join('').replace(/\s+/g, ' ').trim();
}

function blocks(tokens: readonly Token[], options: TextOptions, out: string[]): void {
  for (const token of tokens) block(token, options, out);
}

function block(token: Token, options: TextOptions, out: string[]): void {
  switch (token.type) {
    case 'heading': {
      // A heading is a sentence of its own: "How. What next", never "How What next".
      const text = inlineText((token as Tokens.Heading).tokens).trim();
      if (text) out.push(' ', ENDS_SENTENCE.test(text) ? text : `${text}.`, ' ');
      return;
    }
    case 'paragraph':
    case 'text':
      if ('tokens' in token && token.tokens) out.push(' ', inlineText(token.tokens), ' ');
      else out.push(' ', decodeHTML((token as Tokens.Text).text), ' ');
      return;
    case 'code': {
      const code = token as Tokens.Code;
      const lang = code.lang?.trim().toLowerCase();
      if (lang === 'math') out.push(' ', mathText(code.text), ' ');
      else if (options.code && lang !== 'mermaid') out.push(' ', code.text, ' ');
      else out.push(' ');
      return;
    }
    case 'math':
      out.push(' ', mathText((token as unknown as { tex: string }).tex), ' ');
      return;
    case 'html':
      out.push(' ', htmlText((token as Tokens.HTML).text), ' ');
      return;
    case 'list':
      for (const item of (token as Tokens.List).items) blocks(item.tokens, options, out);
      return;
    case 'table': {
      const table = token as Tokens.Table;
      for (const cell of table.header) out.push(' ', inlineText(cell.tokens), ' ');
      for (const row of table.rows) for (const cell of row) out.push(' ', inlineText(cell.tokens), ' ');
      return;
    }
    case 'callout': {
      const callout = token as unknown as { titleTokens: Token[]; tokens: Token[] };
      const title = inlineText(callout.titleTokens).trim();
      if (title) out.push(' ', ENDS_SENTENCE.test(title) ? title : `${title}.`, ' ');
      blocks(callout.tokens, options, out);
      return;
    }
    case 'footnote':
      // A note's text where it is written (usually the end); its mark in the text is dropped.
      blocks((token as unknown as { content: Token[] }).content, options, out);
      return;
    // The list of notes marked-footnote gathers (each note is read where it is defined), rules, the table of contents.
    case 'footnotes':
    case 'hr':
    case 'space':
    case 'tocMarker':
    case 'def':
    case 'checkbox':
      out.push(' ');
      return;
    default: {
      const nested = token as { tokens?: Token[]; text?: string };
      if (nested.tokens) blocks(nested.tokens, options, out);
      else if (typeof nested.text === 'string') out.push(' ', decodeHTML(nested.text), ' ');
    }
  }
}

function inlineText(tokens: readonly Token[] | undefined): string {
  if (!tokens) return '';
  let text = '';
  let leftover = false;
  for (const token of tokens) {
    // Other generators' template syntax, shown as code (src/content/foreign-markup.ts), is no text.
    if (token.type === 'html' && LEFTOVER_OPEN.test(token.raw)) leftover = true;
    else if (leftover) leftover = !(token.type === 'html' && /^<\/code>$/i.test(token.raw));
    else text += inline(token);
  }
  return text;
}

function inline(token: Token): string {
  switch (token.type) {
    case 'text':
      return 'tokens' in token && token.tokens ? inlineText(token.tokens) : decodeHTML((token as Tokens.Text).text);
    case 'escape':
    case 'codespan':
      return (token as Tokens.Codespan).text;
    case 'math':
      return mathText((token as unknown as { tex: string }).tex);
    case 'html':
      return htmlText((token as Tokens.HTML).text);
    case 'br':
      return ' ';
    // An image's alt text is no sentence of the text around it; marks and boxes are not read.
    case 'image':
    case 'footnoteRef':
    case 'checkbox':
      return '';
    case 'keys':
      return (token as unknown as { keys: string[] }).keys.join('+');
    case 'wikilink': {
      const { embed, link } = token as unknown as { embed: boolean; link: { target: string; alias?: string } };
      return embed ? '' : (link.alias ?? link.target);
    }
    default: {
      const nested = token as { tokens?: Token[]; text?: string };
      if (nested.tokens) return inlineText(nested.tokens);
      return typeof nested.text === 'string' ? decodeHTML(nested.text) : '';
    }
  }
}

/** A formula as its source, as KaTeX's annotation gives it (the TeX without its delimiters), `\text{…}` unwrapped. */
function mathText(tex: string): string {
  return readableTex(tex);
}

/** Raw HTML's text: what the sanitizer removes with its content goes, each block a sentence apart, entities decoded. */
function htmlText(html: string): string {
  // Other generators' template syntax, kept as code (src/content/foreign-markup.ts), is no text.
  return decodeHTML(html.replace(LEFTOVER, ' ').replace(TEXTLESS, ' ').replace(BLOCK_TAG, ' ').replace(ANY_TAG, ''));
}

/**
 * A body's word count and excerpt, from the text a reader sees (code left
 * out): the author's own excerpt (before `<!--more-->`, `<!-- truncate -->`)
 * when there is one, else the first sentences.
 */
export function summarizeBody(markdown: string): { wordCount: number; excerpt: string } {
  const text = bodyText(markdown, { code: false });
  const before = beforeSeparator(markdown);
  const chosen = before === undefined ? '' : bodyText(before, { code: false });
  return { wordCount: countWords(text), excerpt: chosen ? excerpt(chosen, 300) : excerpt(text) };
}
