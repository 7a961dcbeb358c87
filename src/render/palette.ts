/**
 * The colours a brand colour gives, in both schemes: the accent of links,
 * footnote marks, the drop cap and badges; the call-to-action panel; the
 * diagrams' nodes, borders and lines (docs/themes.md, "Colour that holds").
 *
 * Each text colour is made readable on the backgrounds it is set on: its
 * OKLCH lightness is moved (hue kept, chroma brought into sRGB) until WCAG's
 * contrast ratio is at least `TEXT_CONTRAST` against each of them. So a
 * dark green brand that reads well on the light page is lightened for the
 * dark one, and a pale yellow one is darkened for the light page. The
 * author's own colour is kept wherever it already reads well.
 *
 * The built-in stylesheet (public/style.css) carries this palette for the
 * default accent, written out; test/unit/palette.test.ts keeps the two the
 * same. `/_lede/brand.css` (src/routes/brand.ts) carries it for a site's own.
 */
import { type Oklch, clampChroma, converter, formatHex, parse, wcagContrast } from 'culori';

/** WCAG 2.x AA for body text (1.4.3). */
export const AA_TEXT = 4.5;
/** What Lede aims at: AA with a little room, so a browser's rounding never takes a pair under it. */
export const TEXT_CONTRAST = 4.6;
/** A dark-scheme accent Lede derives itself aims a little higher: thin coloured text on near-black reads better with more light. */
const DERIVED_DARK_CONTRAST = 5.5;

/** The built-in accent (public/style.css). */
export const DEFAULT_ACCENT = '#a4262c';

export type Scheme = 'light' | 'dark';

/** The grounds of each scheme that accent-coloured text is set on, and the text and muted colours (public/style.css). */
export const GROUNDS = {
  light: { bg: '#fbfaf7', surface: '#ffffff', code: '#f4f1eb', text: '#1c1b19', muted: '#57534c' },
  dark: { bg: '#131316', surface: '#1b1b20', code: '#1f2127', text: '#ecebe8', muted: '#b3afa7' },
} as const satisfies Record<Scheme, Record<string, string>>;

/** One scheme's derived colours, as CSS custom properties of public/style.css (without the `--`). */
export interface SchemeColours {
  accent: string;
  'accent-ink': string;
  'cta-bg': string;
  'cta-text': string;
  'cta-link': string;
  'diagram-node': string;
  'diagram-border': string;
  'diagram-text': string;
  'diagram-line': string;
  'diagram-label-bg': string;
}

export interface Palette {
  light: SchemeColours;
  dark: SchemeColours;
}

/** An author's colour that does not read well as given, and what is shown instead. */
export interface ColourShortfall {
  /** The setting that gave it: `accent_color` or `accent_color_dark`. */
  readonly setting: 'accent_color' | 'accent_color_dark';
  readonly scheme: Scheme;
  readonly given: string;
  /** Its lowest contrast against the scheme's grounds. */
  readonly contrast: number;
  readonly shown: string;
  readonly shownContrast: number;
}

export interface BrandColours {
  /** `accent_color`: the light scheme's accent, and the source of everything else. */
  readonly accent?: string | undefined;
  /** `accent_color_dark`: the dark scheme's accent, when the author chooses it. */
  readonly accentDark?: string | undefined;
}

const toOklch = converter('oklch');

function oklchOf(colour: string): Oklch {
  const parsed = parse(colour);
  if (!parsed) throw new TypeError(`not a colour: ${colour}`);
  const c = toOklch(parsed);
  // A transparent brand colour is read as opaque: a translucent link colour has no fixed contrast.
  return { mode: 'oklch', l: c.l, c: c.c ?? 0, h: c.h ?? 0 };
}

function hexOf(c: Oklch): string {
  return formatHex(clampChroma({ ...c, l: Math.min(1, Math.max(0, c.l)) }, 'oklch'));
}

/** The lowest contrast of `colour` against each of `grounds`. */
export function contrastAgainst(colour: string, grounds: readonly string[]): number {
  return Math.min(...grounds.map((g) => wcagContrast(colour, g)));
}

/**
 * `colour` with its lightness moved, towards white on a dark ground and
 * towards black on a light one, by the smallest step that reaches `target`
 * against every ground; the colour itself when it already does. Black and
 * white reach any ground's 4.5:1 from one end, so this always ends.
 */
export function readableOn(colour: string, grounds: readonly string[], target = TEXT_CONTRAST): string {
  const start = formatHex(parse(colour) ?? undefined) ?? colour;
  if (contrastAgainst(start, grounds) >= target) return start;
  const c = oklchOf(start);
  const groundL = Math.max(...grounds.map((g) => oklchOf(g).l));
  const darkGround = groundL < 0.5;
  for (let step = 1; step <= 200; step++) {
    const l = darkGround ? c.l + (1 - c.l) * (step / 200) : c.l * (1 - step / 200);
    const hex = hexOf({ ...c, l });
    if (contrastAgainst(hex, grounds) >= target) return hex;
  }
  return darkGround ? '#ffffff' : '#000000';
}

/** A colour of `accent`'s hue at lightness `l`, its chroma at most `maxChroma`. */
function tone(accent: Oklch, l: number, maxChroma: number): string {
  return hexOf({ mode: 'oklch', l, c: Math.min(accent.c, maxChroma), h: accent.h });
}

function groundsOf(scheme: Scheme): string[] {
  const g = GROUNDS[scheme];
  return [g.bg, g.surface, g.code];
}

/** One scheme's colours from its (readable) accent. */
function schemeColours(scheme: Scheme, accent: string): SchemeColours {
  const g = GROUNDS[scheme];
  const hue = oklchOf(accent);
  // The CTA panel: a deep ground of the accent's hue that stands out from both pages, near-white text on it, the link a light tint.
  const ctaBg = tone(hue, scheme === 'light' ? 0.3 : 0.34, 0.09);
  const ctaText = readableOn('#f6f3ee', [ctaBg], 7);
  const ctaLink = readableOn(tone(hue, 0.88, 0.12), [ctaBg]);
  // Diagrams: a faint tint of the accent for nodes, the accent for their borders, the text colour for labels.
  const node = tone(hue, scheme === 'light' ? 0.95 : 0.3, scheme === 'light' ? 0.035 : 0.05);
  return {
    accent,
    'accent-ink': scheme === 'light' ? '#ffffff' : g.bg,
    'cta-bg': ctaBg,
    'cta-text': ctaText,
    'cta-link': ctaLink,
    'diagram-node': node,
    'diagram-border': accent,
    'diagram-text': readableOn(g.text, [node, g.bg]),
    'diagram-line': readableOn(g.muted, [g.bg], 3),
    'diagram-label-bg': g.bg,
  };
}

/** The palette of both schemes, and the author's colours that had to be moved to read well. */
export function derivePalette(brand: BrandColours = {}): { palette: Palette; shortfalls: ColourShortfall[] } {
  const base = brand.accent ?? DEFAULT_ACCENT;
  const shortfalls: ColourShortfall[] = [];
  const settle = (setting: ColourShortfall['setting'], scheme: Scheme, given: string, report: boolean, target = TEXT_CONTRAST): string => {
    const grounds = groundsOf(scheme);
    const shown = readableOn(given, grounds, target);
    const contrast = contrastAgainst(given, grounds);
    if (report && contrast < AA_TEXT) shortfalls.push({ setting, scheme, given, contrast, shown, shownContrast: contrastAgainst(shown, grounds) });
    return shown;
  };
  const light = settle('accent_color', 'light', base, brand.accent !== undefined);
  const dark = brand.accentDark
    ? settle('accent_color_dark', 'dark', brand.accentDark, true)
    : settle('accent_color', 'dark', base, false, DERIVED_DARK_CONTRAST);
  return { palette: { light: schemeColours('light', light), dark: schemeColours('dark', dark) }, shortfalls };
}

/** A shortfall as `npm run check` says it. */
export function describeShortfall(s: ColourShortfall): string {
  const ratio = (n: number) => `${n.toFixed(2).replace(/0$/, '')}:1`;
  return `${s.setting} ${s.given} has ${ratio(s.contrast)} against the ${s.scheme} page, under WCAG AA's 4.5:1 for text; pages show ${s.shown} (${ratio(s.shownContrast)}) instead. Choose a ${s.scheme === 'light' ? 'darker' : 'lighter'} colour to see your own.`;
}

/** The palette as custom properties, light first, the dark scheme in its media query. */
export function paletteCss(palette: Palette): string {
  const block = (c: SchemeColours, indent: string) =>
    Object.entries(c)
      .map(([name, value]) => `${indent}--${name}: ${value};`)
      .join('\n');
  return `:root {\n${block(palette.light, '  ')}\n}\n@media (prefers-color-scheme: dark) {\n  :root {\n${block(palette.dark, '    ')}\n  }\n}\n`;
}

/** Whether a site's settings call for `/_lede/brand.css` (otherwise the built-in palette of public/style.css is the whole story). */
export function hasBrandColours(site: { readonly accent_color?: string | undefined; readonly accent_color_dark?: string | undefined }): boolean {
  return Boolean(site.accent_color || site.accent_color_dark);
}
