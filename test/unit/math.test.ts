/** Math in markdown: Pandoc's rules for what is math, KaTeX's HTML and MathML, errors shown as source. */
import { describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import fc from 'fast-check';
import { render } from '../../src/render/markdown.js';
import { matchInlineMath, nextDollar } from '../../src/render/math-syntax.js';
import { MAX_FORMULAS } from '../../src/render/math.js';

describe('render() with math', () => {
  describe('inline $…$', () => {
    const { html, needs } = render('Energy is $E = mc^2$, says Einstein.');
    const $ = cheerio.load(html);
    it('should render KaTeX HTML and MathML inside the paragraph', () => {
      expect($('p > span.math.math-inline .katex .katex-html').length).toBe(1);
      expect($('p math annotation[encoding="application/x-tex"]').text()).toBe('E = mc^2');
      expect($('p math msup mi').text()).toBe('c');
      expect($('p').text()).toMatch(/^Energy is .*, says Einstein\.$/);
    });
    it('should say the page needs the math stylesheet', () => expect(needs).toEqual({ math: true, mermaid: false }));
  });

  describe('display $$…$$', () => {
    it('should render a block as display math', () => {
      const $ = cheerio.load(render('$$\n\\int_0^1 x\\,dx = \\frac{1}{2}\n$$\n\nAfter.').html);
      expect($('span.math-display .katex-display').length).toBe(1);
      expect($('math[display="block"]').length).toBe(1);
      expect($('p').text()).toBe('After.');
    });
    it('should render $$…$$ inside a paragraph as display math', () => {
      const $ = cheerio.load(render('So $$a^2 + b^2 = c^2$$ holds.').html);
      expect($('p .math-display math[display="block"]').length).toBe(1);
    });
    it('should render a ```math fence as display math, not as code', () => {
      const $ = cheerio.load(render('```math\na^2 + b^2\n```').html);
      expect($('math[display="block"]').length).toBe(1);
      expect($('pre').length).toBe(0);
    });
    it('should take a block only from a line that starts with $$', () => {
      expect(render('The sum is 5 $$\n').html).toBe('<p>The sum is 5 $$</p>\n');
      expect(render('abc $$x$$\n').needs.math).toBe(true);
      expect(cheerio.load(render('abc $$x$$\n').html)('p').text()).toMatch(/^abc /);
    });
    it('should not let a list inside $$ blocks split the formula', () => {
      const $ = cheerio.load(render('$$\na\n- b\n$$').html);
      expect($('ul').length).toBe(0);
      expect($('math annotation').text()).toBe('a\n- b');
    });
  });

  describe("Pandoc's rules", () => {
    it('should leave prices as text: $5 and $10', () => {
      const { html, needs } = render('It costs $5 and $10 today.');
      expect(html).toBe('<p>It costs $5 and $10 today.</p>\n');
      expect(needs.math).toBe(false);
    });
    it('should read \\$ as a dollar sign, not a delimiter', () => {
      expect(render('Escaped \\$x$ and \\$y\\$ stay text.').html).toBe('<p>Escaped $x$ and $y$ stay text.</p>\n');
    });
    it('should not open math before a space, nor close it after one', () => {
      expect(matchInlineMath('$ x$')).toBeUndefined();
      expect(matchInlineMath('$x $')).toBeUndefined();
      expect(matchInlineMath('$x$')).toEqual({ raw: '$x$', tex: 'x', display: false });
    });
    it('should not close math before a digit', () => {
      expect(matchInlineMath('$20,000 and $30,000')).toBeUndefined();
      expect(matchInlineMath('$x$5')).toBeUndefined();
    });
    it('should close at the first unescaped $ or not at all', () => {
      const $ = cheerio.load(render('From $5 to $10; $x^2$ is math.').html);
      expect($('math annotation').text()).toBe('x^2');
      expect($('p').text()).toMatch(/^From \$5 to \$10; /);
    });
    it('should not run math across a blank line', () => {
      expect(matchInlineMath('$x\n\ny$')).toBeUndefined();
    });
    it("should let \\$ inside math be TeX's own dollar", () => {
      expect(matchInlineMath('$a\\$b$')).toEqual({ raw: '$a\\$b$', tex: 'a\\$b', display: false });
    });
    it('should stop text only at unescaped dollars', () => {
      expect(nextDollar('a \\$ b $c')).toBe(7);
      expect(nextDollar('a \\\\$c')).toBe(4);
      expect(nextDollar('none')).toBeUndefined();
    });
    it('should leave math in code spans alone', () => {
      expect(render('Write `$x$` for math.').html).toBe('<p>Write <code>$x$</code> for math.</p>\n');
    });
  });

  describe('a formula KaTeX cannot parse', () => {
    const { html, needs, mathProblems } = render('Before $\\frac{1}{$ after, and $x^2$ fine.\n\nNext paragraph.');
    const $ = cheerio.load(html);
    it('should show its source with the error style and the reason as its title', () => {
      const error = $('code.math-error');
      expect(error.text()).toBe('$\\frac{1}{$');
      expect(error.attr('title')).toMatch(/KaTeX parse error/);
    });
    it('should not break the rest of the page', () => {
      expect($('p').length).toBe(2);
      expect($('.katex').length).toBe(1);
      expect($('p').last().text()).toBe('Next paragraph.');
    });
    it('should report it, with the markdown as written, for check', () => {
      expect(mathProblems).toEqual([{ raw: '$\\frac{1}{$', message: expect.stringMatching(/KaTeX parse error/) }]);
      expect(needs.math).toBe(true);
    });
    it('should refuse commands that link or style (trust: false)', () => {
      const out = render('$\\href{javascript:alert(1)}{x}$').html;
      expect(out).not.toMatch(/<a\s/);
      expect(out).not.toMatch(/href=/);
    });
  });

  describe('bounds', () => {
    it(`should render at most ${MAX_FORMULAS} formulas and show the rest as source`, () => {
      const { html, mathProblems } = render(Array.from({ length: MAX_FORMULAS + 2 }, (_, i) => `$x_{${i}}$`).join(' '));
      expect((html.match(/class="katex"/g) ?? []).length).toBe(MAX_FORMULAS);
      expect(mathProblems).toHaveLength(2);
      expect(mathProblems[0]!.message).toMatch(/more than/);
    });
    it('should stop a macro that expands forever', () => {
      const { mathProblems } = render('$\\def\\a{\\a\\a}\\a$');
      expect(mathProblems).toHaveLength(1);
    });
  });

  describe('safety', () => {
    it("should never let an author's raw HTML pass as KaTeX's", () => {
      const $ = cheerio.load(render('<span class="katex" style="color:red">raw</span> <math><mi>x</mi></math>').html);
      expect($('[style]').length).toBe(0);
      expect($('.katex').length).toBe(0);
      expect($('math').length).toBe(0);
    });
    it('should not substitute a placeholder written by the author', () => {
      const { html } = render('\uE000abc:0\uE001 and $x$');
      expect((html.match(/class="katex"/g) ?? []).length).toBe(1);
    });
    it('should put a formula in an attribute (alt text) as its source', () => {
      const $ = cheerio.load(render('![area $\\pi r^2$](a.png)').html);
      expect($('img').attr('alt')).toBe('area \\pi r^2');
    });
    it('should keep KaTeX output with raw_html on', () => {
      expect(render('$x$', { rawHtml: true }).html).toMatch(/class="katex"/);
    });
  });

  describe('headings', () => {
    const { html, outline } = render('## Mass $E=mc^2$\n\ntext');
    it('should render the formula in the heading', () => expect(cheerio.load(html)('h2 .katex').length).toBe(1));
    it('should take the id and the outline from the source', () => {
      expect(outline).toEqual([{ level: 2, id: 'mass-emc2', text: 'Mass E=mc^2' }]);
      expect(cheerio.load(html)('h2').attr('id')).toBe('mass-emc2');
    });
  });

  it('should never throw nor leave a placeholder, whatever the dollars and backslashes', () => {
    const piece = fc.constantFrom(
      '$',
      '$$',
      '\\',
      '\\$',
      'x',
      '^2',
      ' ',
      '\n',
      '\n\n',
      '{',
      '}',
      '5',
      '`',
      '# ',
      '- ',
      '```math\n',
      '```\n',
      '<b>',
      '![a',
      '](b.png)',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const { html } = render(pieces.join(''));
        expect(html).not.toMatch(/[\uE000\uE001]/);
      }),
      { numRuns: 300 },
    );
  });

  it('should give the same HTML on every call (no nonce leaks into the page)', () => {
    expect(render('$x$ and $$y$$').html).toBe(render('$x$ and $$y$$').html);
  });
});

describe('render() with diagrams', () => {
  it('should keep a ```mermaid fence as a code block and say the page needs the diagram script', () => {
    const { html, needs } = render('```mermaid\ngraph TD; A-->B\n```');
    expect(cheerio.load(html)('pre > code.language-mermaid').text()).toBe('graph TD; A-->B\n');
    expect(needs).toEqual({ math: false, mermaid: true });
  });
  it('should find a diagram inside a list', () => {
    expect(render('- item\n\n  ```mermaid\n  graph TD; A-->B\n  ```\n').needs.mermaid).toBe(true);
  });
  it('should need nothing for other code', () => {
    expect(render('```ts\nconst a = 1;\n```').needs).toEqual({ math: false, mermaid: false });
  });
});
