/**
 * Post bodies with math and a diagram, shared by the export's tests
 * (test/helpers/export-site.ts) and the docs' pictures (scripts/docs-screenshot.ts).
 * No Jest in here, so a script may import it.
 */

/** Display math: a sum and fractions, nested. */
export const MATH_BODY = [
  'Gauss summed the first $n$ numbers: $\\frac{a}{b}$ inline too.',
  '',
  '$$',
  '\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}',
  '$$',
  '',
  'And a continued fraction:',
  '',
  '$$',
  'x = 1 + \\frac{1}{2 + \\frac{1}{3}}',
  '$$',
  '',
].join('\n');

/** A flowchart of three nodes. */
export const DIAGRAM_BODY = ['Requests flow:', '', '```mermaid', 'graph LR', '  Reader --> Cache', '  Cache --> Server', '```', ''].join('\n');
