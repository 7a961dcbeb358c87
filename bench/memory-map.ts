/**
 * Where a process's RSS is, from /proc/PID/smaps: file mappings (the node
 * binary, libraries), the brk heap (malloc's main arena), stacks, and the
 * anonymous mappings by size, which tells V8's 256 KB pages apart from
 * malloc's thread arenas (64 MB reservations) and large allocations.
 *
 *   npx tsx bench/memory-map.ts PID
 */
import { readFileSync, readdirSync } from 'node:fs';

interface Mapping {
  readonly name: string;
  readonly perms: string;
  readonly sizeKb: number;
  readonly rssKb: number;
}

export function mappings(pid: number): Mapping[] {
  const out: Mapping[] = [];
  let current: { name: string; perms: string; sizeKb: number; rssKb: number } | undefined;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      if (current) out.push(current);
      current = { name: head[2]!.trim(), perms: head[1]!, sizeKb: 0, rssKb: 0 };
      continue;
    }
    const field = /^(Size|Rss):\s+(\d+) kB/.exec(line);
    if (field && current) current[field[1] === 'Size' ? 'sizeKb' : 'rssKb'] = Number(field[2]);
  }
  if (current) out.push(current);
  return out;
}

function kind(m: Mapping): string {
  if (m.name.startsWith('/')) return m.name.includes('/node') && !m.name.endsWith('.node') ? 'file: node binary' : 'file: other';
  if (m.name === '[heap]') return 'brk heap (malloc main arena)';
  if (m.name.startsWith('[stack')) return 'main stack';
  if (m.name) return `other ${m.name}`;
  if (m.sizeKb === 256) return 'anon 256 kB (V8 pages)';
  if (m.sizeKb < 256) return 'anon < 256 kB';
  if (m.sizeKb < 1024) return 'anon 256 kB-1 MB';
  if (m.sizeKb < 8 * 1024) return 'anon 1-8 MB';
  if (m.sizeKb <= 64 * 1024) return 'anon 8-64 MB';
  return 'anon > 64 MB';
}

/** RSS in MB by kind, largest first, with the number of mappings of each. */
export function memoryMap(pid: number): string {
  const groups = new Map<string, { rssKb: number; count: number }>();
  for (const m of mappings(pid)) {
    if (!m.rssKb) continue;
    const k = kind(m);
    const g = groups.get(k) ?? { rssKb: 0, count: 0 };
    g.rssKb += m.rssKb;
    g.count++;
    groups.set(k, g);
  }
  const threads = readdirSync(`/proc/${pid}/task`).length;
  const rows = [...groups].sort((a, b) => b[1].rssKb - a[1].rssKb).map(([k, g]) => `  ${k}: ${Math.round(g.rssKb / 1024)} MB in ${g.count}`);
  return [`smaps (${threads} threads):`, ...rows].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pid = Number(process.argv[2]);
  console.log(memoryMap(pid));
  const top = mappings(pid)
    .filter((m) => !m.name.startsWith('/'))
    .sort((a, b) => b.rssKb - a.rssKb)
    .slice(0, 15);
  for (const m of top) console.log(`  ${m.perms} size ${Math.round(m.sizeKb / 1024)} MB rss ${Math.round(m.rssKb / 1024)} MB ${m.name}`);
}
