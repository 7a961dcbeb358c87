/**
 * The colours a brand colour gives (src/render/palette.ts): every text
 * colour of both schemes at WCAG AA (4.5:1) on the grounds it is set on, for
 * brand colours light, dark, saturated and grey; the author's colour kept
 * where it reads well; `accent_color_dark` honoured; the built-in
 * stylesheet carrying the default palette exactly.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { wcagContrast } from 'culori';
import { brandCss } from '../../src/routes/brand.js';
import { AA_TEXT, DEFAULT_ACCENT, derivePalette, describeShortfall, GROUNDS, type Palette, type Scheme } from '../../src/render/palette.js';
import { ROOT } from '../helpers/site.js';

/** Brand colours a site might pick: dark (green, navy, black), light (pale yellow, white), loud (red, cyan), mid (purple, the default). */
const BRANDS = ['#0b6e4f', '#1f2a44', '#000000', '#ffd27a', '#ffffff', '#ff0000', '#00ffff', '#7e22ce', '#1e6fd9', DEFAULT_ACCENT, '#888'];

/** Each pair of text colour and the ground it is set on, as the stylesheet uses them. */
function textPairs(palette: Palette, scheme: Scheme): [string, string, string][] {
  const c = palette[scheme];
  const g = GROUNDS[scheme];
  return [
    ['accent on the page', c.accent, g.bg],
    ['accent on cards and the header', c.accent, g.surface],
    ['accent on code', c.accent, g.code],
    ['badge text on the accent', c['accent-ink'], c.accent],
    ['CTA text on its panel', c['cta-text'], c['cta-bg']],
    ['CTA link on its panel', c['cta-link'], c['cta-bg']],
    ['diagram labels on their nodes', c['diagram-text'], c['diagram-node']],
    ['diagram edge labels', c['diagram-text'], c['diagram-label-bg']],
  ];
}

describe('derivePalette()', () => {
  describe.each(BRANDS)('from accent_color %s', (accent) => {
    const { palette } = derivePalette({ accent });
    it.each(['light', 'dark'] as const)('should give every text colour 4.5:1 or more on its ground in the %s scheme', (scheme) => {
      const low = textPairs(palette, scheme)
        .map(([what, fg, bg]) => ({ what, fg, bg, ratio: wcagContrast(fg, bg) }))
        .filter((p) => p.ratio < AA_TEXT);
      expect(low).toEqual([]);
    });
    it('should set the CTA panel apart from the page in both schemes', () => {
      for (const scheme of ['light', 'dark'] as const) expect(palette[scheme]['cta-bg']).not.toBe(GROUNDS[scheme].bg);
    });
  });

  it('should keep an accent that reads well as given, and lighten it for the dark scheme', () => {
    const { palette, shortfalls } = derivePalette({ accent: '#0b6e4f' });
    expect(palette.light.accent).toBe('#0b6e4f');
    // The issue's example: #0b6e4f on the dark page is about 2.9:1.
    expect(wcagContrast('#0b6e4f', GROUNDS.dark.bg)).toBeLessThan(3);
    expect(wcagContrast(palette.dark.accent, GROUNDS.dark.bg)).toBeGreaterThanOrEqual(AA_TEXT);
    expect(shortfalls).toEqual([]);
  });

  it('should keep the hue when it moves the lightness', () => {
    const { palette } = derivePalette({ accent: '#0b6e4f' });
    const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(palette.dark.accent.slice(i, i + 2), 16));
    // Still green: the green channel leads.
    expect(g).toBeGreaterThan(r!);
    expect(g).toBeGreaterThan(b!);
    expect(palette.dark['cta-bg']).not.toBe(derivePalette({ accent: '#1e3a8a' }).palette.dark['cta-bg']);
  });

  it('should name a colour that falls short of AA, with the colour shown instead', () => {
    const { palette, shortfalls } = derivePalette({ accent: '#ffd27a' });
    expect(shortfalls).toHaveLength(1);
    const [s] = shortfalls;
    expect(s).toMatchObject({ setting: 'accent_color', scheme: 'light', given: '#ffd27a', shown: palette.light.accent });
    expect(s!.contrast).toBeLessThan(AA_TEXT);
    expect(s!.shownContrast).toBeGreaterThanOrEqual(AA_TEXT);
    expect(describeShortfall(s!)).toMatch(
      /^accent_color #ffd27a has 1\.\d+:1 against the light page, under WCAG AA's 4\.5:1 for text; pages show #[0-9a-f]{6} \(4\.\d+:1\) instead/,
    );
  });

  it('should use accent_color_dark in the dark scheme, and name it when it is too dark', () => {
    expect(derivePalette({ accent: '#0b6e4f', accentDark: '#7ee2b8' }).palette.dark.accent).toBe('#7ee2b8');
    const { palette, shortfalls } = derivePalette({ accent: '#0b6e4f', accentDark: '#303030' });
    expect(shortfalls.map((s) => [s.setting, s.scheme])).toEqual([['accent_color_dark', 'dark']]);
    expect(wcagContrast(palette.dark.accent, GROUNDS.dark.bg)).toBeGreaterThanOrEqual(AA_TEXT);
  });

  it('should not name the built-in accent or one derived for the dark scheme', () => {
    expect(derivePalette().shortfalls).toEqual([]);
    expect(derivePalette({ accent: '#000000' }).shortfalls).toEqual([]);
  });
});

describe('public/style.css', () => {
  const css = readFileSync(path.join(ROOT, 'public', 'style.css'), 'utf8');
  /** The custom properties of the first `:root` block of the light scheme and of the dark one. */
  const schemeBlock = (scheme: Scheme): string => {
    const dark = css.indexOf('@media (prefers-color-scheme: dark)');
    return scheme === 'light' ? css.slice(css.indexOf(':root {'), dark) : css.slice(dark, css.indexOf('}\n}', dark));
  };
  it.each(['light', 'dark'] as const)('should carry the palette of the default accent in the %s scheme', (scheme) => {
    const block = schemeBlock(scheme);
    for (const [name, value] of Object.entries(derivePalette().palette[scheme])) expect(block).toContain(`--${name}: ${value};`);
  });
  it.each(['light', 'dark'] as const)('should use the grounds the palette is checked against in the %s scheme', (scheme) => {
    const block = schemeBlock(scheme);
    const g = GROUNDS[scheme];
    for (const [name, value] of [
      ['bg', g.bg],
      ['surface', g.surface],
      ['code-bg', g.code],
      ['text', g.text],
      ['muted', g.muted],
    ])
      expect(block).toContain(`--${name}: ${value};`);
  });
});

describe('/_lede/brand.css', () => {
  it('should set the whole palette in both schemes, the dark one in its media query', () => {
    const css = brandCss({ accent_color: '#0b6e4f', accent_color_dark: undefined });
    const { palette } = derivePalette({ accent: '#0b6e4f' });
    const [light, dark] = css.split('@media (prefers-color-scheme: dark)');
    expect(light).toContain('--accent: #0b6e4f;');
    expect(light).toContain(`--cta-bg: ${palette.light['cta-bg']};`);
    expect(dark).toContain(`--accent: ${palette.dark.accent};`);
    expect(dark).toContain(`--diagram-node: ${palette.dark['diagram-node']};`);
  });
});
