/**
 * How fast the sanitizer runs on HTML that markdown without raw HTML renders
 * to, on patterns that make many small tags, entities or attributes: the
 * measure behind `SANITIZE_BOUND_US_PER_CHAR` (src/cli/check-render.ts).
 *
 *   npx tsx bench/sanitize-rate.mts
 */
import { render } from '../src/render/markdown.js';
import { sanitize } from '../src/render/sanitize.js';
const cases: Record<string, string> = {
  emph: '*a* _b_ **c** '.repeat(20000),
  quotes: `'"&<>`.repeat(40000),
  links: '[x](http://a.b/c?d=e&f=g "t") '.repeat(8000),
  badlinks: '[x](javascript:alert(1)) '.repeat(8000),
  table: `|a|b|c|\n|-|-|-|\n${'|x|y|z|\n'.repeat(20000)}`,
  lists: Array.from({ length: 3000 }, (_, i) => `${'  '.repeat(i % 40)}- x`).join('\n'),
  quotesNest: Array.from({ length: 3000 }, (_, i) => `${'>'.repeat(1 + (i % 50))} x`).join('\n'),
  code: `\`\`\`js\n${'const a = "x" + 1; // c\n'.repeat(8000)}\`\`\`\n`,
  headings: '## main\n\ntext\n\n'.repeat(8000),
  entities: '&amp; &#39; &copy; &#x1F600; '.repeat(8000),
  autolinks: 'www.example.com a@b.co https://x.y/z '.repeat(8000),
  footnotes: `${Array.from({ length: 2000 }, (_, i) => `x[^${i}]`).join(' ')}\n\n${Array.from({ length: 2000 }, (_, i) => `[^${i}]: n`).join('\n')}`,
  images: '![a](http://x/y.png "t") '.repeat(8000),
  breaks: 'a  \n'.repeat(30000),
  // Nesting: the sanitizer keeps a stack of open elements.
  deepLists: Array.from({ length: 400 }, (_, i) => `${'  '.repeat(i)}- x`).join('\n'),
  deepQuotes: Array.from({ length: 200 }, () => `${'>'.repeat(400)} x`).join('\n\n'),
  deepEmphasis: `${'*'.repeat(400)}x${'*'.repeat(400)}`,
};
// Once before timing, so the first pattern does not pay for compiling the sanitizer.
sanitize(render(cases.emph!, { rawHtml: true }).html);
for (const [name, md] of Object.entries(cases)) {
  const raw = render(md, { rawHtml: true }).html;
  const t = performance.now();
  const out = sanitize(raw);
  const ms = performance.now() - t;
  console.log(name.padEnd(12), `${raw.length} chars -> ${out.length}`, `${((ms * 1e6) / raw.length).toFixed(0)} ns/char`);
}
