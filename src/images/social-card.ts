/**
 * Social cards: the 1200 x 630 PNG that link previews (`og:image`,
 * `twitter:image`) show for a post without a hero image. Drawn as SVG
 * (the title, the site name, the author, in the theme's colours) and
 * rasterised by resvg-js, with the Inter font shipped in an npm package
 * (@expo-google-fonts/inter), so the card looks the same on every machine
 * and needs no system fonts.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { renderAsync } from '@resvg/resvg-js';
import { escapeHtml } from '../html/escape.js';

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;

export interface CardColours {
  readonly background: string;
  readonly text: string;
  readonly muted: string;
  readonly accent: string;
}

/** The built-in theme's colours (public/style.css), used where a stylesheet names none. */
export const DEFAULT_COLOURS: CardColours = { background: '#fbfaf7', text: '#1c1b19', muted: '#57534c', accent: '#a4262c' };

/** The theme's light-scheme colours, read from its stylesheet's custom properties. */
export function themeColours(stylesheet: string | undefined): CardColours {
  const pick = (name: string, fallback: string): string => {
    const match = stylesheet && new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{3,8})\\b`).exec(stylesheet);
    return match ? match[1]! : fallback;
  };
  return {
    background: pick('bg', DEFAULT_COLOURS.background),
    text: pick('text', DEFAULT_COLOURS.text),
    muted: pick('muted', DEFAULT_COLOURS.muted),
    accent: pick('accent', DEFAULT_COLOURS.accent),
  };
}

export interface CardText {
  readonly title: string;
  readonly siteName: string;
  readonly author: string;
}

/** What a card shows, hashed: its URL changes exactly when its picture would. */
export function cardHash(text: CardText, colours: CardColours): string {
  return createHash('sha256')
    .update(JSON.stringify([CARD_VERSION, text, colours]))
    .digest('hex')
    .slice(0, 16);
}

/** Bumped when the drawing changes, so cached cards are made again. */
const CARD_VERSION = 1;

const require = createRequire(import.meta.url);
const FONT_FILES = [
  require.resolve('@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf'),
  require.resolve('@expo-google-fonts/inter/700Bold/Inter_700Bold.ttf'),
];
/** Drawn on libuv's thread pool (renderAsync), with our fonts only: no scan of the system's fonts. */
export async function renderCard(text: CardText, colours: CardColours): Promise<Buffer> {
  const image = await renderAsync(cardSvg(text, colours), {
    fitTo: { mode: 'width', value: CARD_WIDTH },
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: 'Inter' },
  });
  return image.asPng();
}

/**
 * Characters XML 1.0 cannot hold, even escaped: C0 controls but tab, newline
 * and carriage return, lone surrogates, U+FFFE and U+FFFF. A title may carry
 * them (YAML's `"\x01"`); resvg refuses the whole SVG, so they are dropped
 * from what the card shows, and `npm run check` names the field
 * (src/cli/image-problems.ts).
 */
export const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** `text` without the characters XML cannot hold. */
export function dropXmlInvalid(text: string): string {
  return text.replace(XML_INVALID, '');
}

/** Text as SVG holds it: escaped, and without what XML cannot hold (cutting a line may split a surrogate pair). */
function svgText(text: string): string {
  return escapeHtml(dropXmlInvalid(text));
}

/** The card as SVG: the title wrapped on at most four lines, ellipsis past them. */
export function cardSvg(text: CardText, colours: CardColours): string {
  const lines = wrap(dropXmlInvalid(text.title), 30, 4);
  const size = lines.length > 3 ? 60 : 68;
  const top = 200 + (4 - lines.length) * 20;
  const title = lines.map((line, i) => `<tspan x="80" y="${top + i * size * 1.15}">${svgText(line)}</tspan>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_WIDTH}" height="${CARD_HEIGHT}" viewBox="0 0 ${CARD_WIDTH} ${CARD_HEIGHT}">
<rect width="100%" height="100%" fill="${colours.background}"/>
<rect x="0" y="0" width="24" height="${CARD_HEIGHT}" fill="${colours.accent}"/>
<text x="80" y="110" font-family="Inter" font-weight="700" font-size="34" fill="${colours.accent}">${svgText(truncate(dropXmlInvalid(text.siteName), 50))}</text>
<text font-family="Inter" font-weight="700" font-size="${size}" fill="${colours.text}">${title}</text>
<text x="80" y="560" font-family="Inter" font-size="32" fill="${colours.muted}">${svgText(truncate(dropXmlInvalid(text.author), 60))}</text>
</svg>`;
}

/** Words on lines of about `width` characters, at most `max` lines (the last ends with an ellipsis when cut). */
function wrap(text: string, width: number, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= width || !line) {
      line = next.length > width * 1.5 ? truncate(next, width) : next;
      continue;
    }
    lines.push(line);
    line = word;
    if (lines.length === max) break;
  }
  if (lines.length < max && line) lines.push(line);
  else if (lines.length === max && line) lines[max - 1] = truncate(`${lines[max - 1]} …`, width);
  return lines.length ? lines : [''];
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
