/**
 * A small site to search: a dozen posts on a few subjects that share words
 * in different fields and amounts (so ranks differ), a standalone page, a
 * draft and a future post (never found), and the queries the export's
 * search is compared with the live one on (test/cli/export-search.test.ts,
 * test/browser/export-search.test.ts).
 */
import type { TempContent } from './site.js';

/** Single word, prefix, several words, typos, accents, a word in no post, words some posts have. */
export const PARITY_QUERIES = [
  'kubernetes',
  'archit',
  'open source models',
  'kubernetse',
  'cafe',
  'Garden',
  'zzqqxx',
  'rust tokio',
  'the',
  'mermaid diagrams garden',
] as const;

const SUBJECTS = [
  {
    title: 'Running Kubernetes at home',
    tags: ['kubernetes', 'homelab'],
    body: 'Kubernetes clusters on small machines. The architecture of a cluster: nodes, pods and a control plane.',
  },
  { title: 'Open source models', tags: ['ai'], body: 'Open source models are released with their weights. Open models let anyone study the architecture.' },
  { title: 'A garden diary', tags: ['garden'], body: 'Tomatoes, beans and a garden path. The garden in spring, the garden in autumn.' },
  { title: 'Café culture', tags: ['travel'], body: 'A café in Lisbon serves the best coffee; every café has its regulars.' },
  { title: 'Rust and Tokio', tags: ['rust'], body: 'Async Rust with Tokio: tasks, runtimes and channels. Rust makes the architecture explicit.' },
  {
    title: 'Architecture decision records',
    tags: ['architecture'],
    body: 'Architectural decisions, written down: why a team chose one architecture over another.',
  },
  { title: 'Kubernetes operators', tags: ['kubernetes'], body: 'Operators extend Kubernetes with custom controllers. Kubernetes reconciles the state.' },
  { title: 'Source code as documentation', tags: ['writing'], body: 'Reading the source before the docs. Open the source, read the tests.' },
  { title: 'Diagrams in posts', tags: ['writing'], body: 'Mermaid diagrams drawn in the browser: flowcharts and sequence diagrams.' },
  { title: 'Winter garden', tags: ['garden'], body: 'Kale and leeks survive the frost. A small garden under glass.' },
  { title: 'Models of the mind', tags: ['books'], body: 'Mental models for reading: what an open mind makes of a model.' },
  { title: 'Notes on Tokio internals', tags: ['rust'], body: 'The Tokio scheduler steals work between threads; the reactor wakes tasks.' },
] as const;

/** Writes the site into `content`: twelve posts, a page, a draft and a future post. */
export function writeSearchSite(content: Pick<TempContent, 'post'>): void {
  SUBJECTS.forEach((subject, i) => {
    const day = String(i + 1).padStart(2, '0');
    content.post(
      `2024-05-${day}-post-${i + 1}.md`,
      { title: subject.title, tags: subject.tags, author: 'Test Author', ...(i === 1 ? { description: 'Weights, licences and open source.' } : {}) },
      `${subject.body}\n\n${'Filler words keep the lengths apart. '.repeat(i + 1)}\n`,
    );
  });
  content.post('pages/about.md', { title: 'About the garden' }, 'This site is about a garden, Kubernetes and Rust: [search for gardens](/search?q=garden).\n');
  content.post('draft.md', { title: 'Kubernetes draft', publish_date: '2024-01-01', draft: true }, 'Kubernetes kubernetes kubernetes.\n');
  content.post('future.md', { title: 'Kubernetes from the future', publish_date: '2999-01-01' }, 'Kubernetes kubernetes kubernetes.\n');
}
