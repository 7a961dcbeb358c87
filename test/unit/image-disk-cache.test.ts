import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DiskCache } from '../../src/images/disk-cache.js';

describe('DiskCache', () => {
  it('keeps files within its byte budget, removing the oldest first', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'lede-disk-cache-')), 'cache');
    try {
      const cache = new DiskCache(dir, 2500);
      for (const name of ['a.avif', 'b.avif', 'c.avif']) await cache.write(name, Buffer.alloc(1000, name));
      expect(readdirSync(dir).sort()).toEqual(['b.avif', 'c.avif']);
      expect(await cache.read('a.avif')).toBeUndefined();
      expect((await cache.read('c.avif'))?.length).toBe(1000);
    } finally {
      rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });

  it('reads nothing for a name it would never write, and survives its folder being deleted', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lede-disk-cache-'));
    const cache = new DiskCache(dir, 1 << 20);
    expect(await cache.read('../etc/passwd')).toBeUndefined();
    await cache.write('x.webp', Buffer.from('x'));
    rmSync(dir, { recursive: true, force: true });
    expect(await cache.read('x.webp')).toBeUndefined();
    await cache.write('y.webp', Buffer.from('y'));
    expect(readdirSync(dir)).toEqual(['y.webp']);
    rmSync(dir, { recursive: true, force: true });
  });
});
