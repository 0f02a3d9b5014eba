/**
 * STYLE.md §3.3 over the source tree: no `any` anywhere. (The import rules of §3.1 are checked by
 * dependency-cruiser: .dependency-cruiser.cjs, `npm run check:layers`, run by scripts/test.)
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const TOP = ['lib', 'cli', 'control', 'agent', 'cri', 'netproxy'];

function sources(dir: string): string[] {
  const out: string[] = [];
  let names: string[];
  try { names = readdirSync(dir); } catch { return out; } // a top-level folder not written yet
  for (const n of names) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) { if (n !== 'generated' && n !== 'node_modules') out.push(...sources(p)); }
    else if (n.endsWith('.ts') && !n.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const files = TOP.flatMap((t) => sources(join(ROOT, t)));

describe('source layout rules', () => {
  it('no `any` in the sources', () => {
    const bad: string[] = [];
    for (const f of files.filter((x) => x !== import.meta.filename)) {
      const text = readFileSync(f, 'utf8').replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
      if (/(:\s*any\b|\bas\s+any\b|<any>|any\[\])/.test(text)) bad.push(relative(ROOT, f));
    }
    expect(bad).toEqual([]);
  });
});
