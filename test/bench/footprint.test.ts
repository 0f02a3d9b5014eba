import { describe, expect, it } from 'vitest';
import { footprintOf, parseSmaps } from './footprint.js';

const map = (range: string, offset: string, inode: number, name: string, rssKb: number) =>
  `${range} r-xp ${offset} 08:01 ${inode}    ${name}\nSize:  4096 kB\nRss:   ${rssKb} kB\nPss:   ${rssKb} kB\n`;

describe('footprintOf', () => {
  it('sums anonymous pages and counts a file mapping once, with its most resident pages', () => {
    const a = map('00400000-02400000', '00000000', 42, '/usr/bin/node', 40 * 1024) + map('7f000000-7f100000', '00000000', 0, '', 10 * 1024)
      + map('7e000000-7e100000', '00000000', 0, '[heap]', 1024);
    const b = map('00400000-02400000', '00000000', 42, '/usr/bin/node', 38 * 1024) + map('7f000000-7f200000', '00000000', 0, '', 20 * 1024);
    expect(parseSmaps(a).map((m) => m.file)).toEqual(['/usr/bin/node', undefined, undefined]);
    expect(footprintOf([a, b])).toEqual({ sumRssMiB: 40 + 10 + 1 + 38 + 20, combinedMiB: 10 + 1 + 20 + 40, fileMiB: 40 });
  });

  it('different parts of one file are different mappings', () => {
    const a = map('00400000-02400000', '00000000', 42, '/usr/bin/node', 1024) + map('03400000-03500000', '02000000', 42, '/usr/bin/node', 2048);
    expect(footprintOf([a, a]).fileMiB).toBe(3);
  });
});
