/**
 * The queries of the search benchmark: common words that match every post
 * of the generated folders (they share one body), rare ones, prefixes,
 * typos, several words, and words no post has.
 */
export const SEARCH_QUERIES = [
  'deepseek',
  'model',
  'efficiency costs',
  'competitive landscape',
  'generated post 4217',
  'author 12',
  'open source',
  'hardware',
  'effciency',
  'benchmrks',
  'chal',
  'reason',
  'the',
  'a',
  'science policy',
  'startups culture research',
  'players in the market',
  'xyzzy',
  'quantum entanglement',
  'subtitle for post 999',
] as const;

/** The `p`th percentile (nearest rank) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
