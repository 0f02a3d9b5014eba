import { describe, expect, it } from 'vitest';
import { readJsonLines } from './json-lines.js';

async function all(chunks: Array<Buffer | string>): Promise<unknown[]> {
  const out: unknown[] = [];
  async function* src(): AsyncGenerator<Buffer | string> { yield* chunks; }
  for await (const r of readJsonLines(src())) out.push(r);
  return out;
}

describe('readJsonLines', () => {
  it('joins records split across chunks, skips blank lines, reads an unterminated last record', async () => {
    expect(await all(['{"a":', '1}\n\n{"b"', ':2}\n{"c":3}'])).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });
  it('keeps a UTF-8 character split between chunks', async () => {
    const bytes = Buffer.from('{"s":"é"}\n');
    const cut = bytes.indexOf(0xc3) + 1;
    expect(await all([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual([{ s: 'é' }]);
  });
});
