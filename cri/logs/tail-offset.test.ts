import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tailOffset } from './tail-offset.js';

describe('tailOffset', () => {
  let dir = '';
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'tinykube-tail-')); });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  const tailOf = async (content: string, lines: number, chunk: number) => {
    const path = join(dir, 'f');
    await writeFile(path, content);
    const fh = await open(path, 'r');
    try {
      return content.slice(await tailOffset(fh, Buffer.byteLength(content), lines, chunk));
    } finally { await fh.close(); }
  };

  it.each([1, 2, 3, 7, 64])('finds the last lines reading backwards in %i-byte chunks', async (chunk) => {
    expect(await tailOf('a\nbb\nccc\n', 2, chunk)).toBe('bb\nccc\n');
    expect(await tailOf('a\nbb\nccc\n', 0, chunk)).toBe('');
    expect(await tailOf('a\nbb\nccc\n', 3, chunk)).toBe('a\nbb\nccc\n');
    expect(await tailOf('a\nbb\nccc\n', 10, chunk)).toBe('a\nbb\nccc\n');
    expect(await tailOf('', 2, chunk)).toBe('');
    expect(await tailOf('\n\n\n', 2, chunk)).toBe('\n\n');
  });

  it('does not count an unterminated last line', async () => {
    expect(await tailOf('a\nbb\ncc', 1, 4)).toBe('bb\ncc');
    expect(await tailOf('a\nbb\ncc', 0, 4)).toBe('cc');
  });

  it('handles a big file', async () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `line ${i}`);
    expect(await tailOf(`${lines.join('\n')}\n`, 3, 64 * 1024)).toBe('line 49997\nline 49998\nline 49999\n');
  });
});
