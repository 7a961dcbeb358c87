/**
 * Every token of a lexed markdown body, depth first: inline tokens, list
 * items and table cells included (a link in a table cell is a link too).
 * `check`'s reference scans (bundle files, static files) read posts this way.
 */
import type { Token, Tokens } from 'marked';

export function walkTokens(tokens: readonly Token[], visit: (token: Token) => void): void {
  for (const token of tokens) {
    visit(token);
    const nested = token as { tokens?: Token[]; items?: Token[] };
    if (nested.tokens) walkTokens(nested.tokens, visit);
    if (nested.items) walkTokens(nested.items, visit);
    if (token.type === 'table') {
      const table = token as Tokens.Table;
      for (const cell of table.header) walkTokens(cell.tokens, visit);
      for (const row of table.rows) for (const cell of row) walkTokens(cell.tokens, visit);
    }
  }
}
