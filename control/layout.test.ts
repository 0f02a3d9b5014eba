/**
 * The layout rules of STYLE.md §3.1 and §3.3, checked over the source tree: agent/, netproxy/ and
 * the CLIs import only control/api, control/client and control/util; cri/ imports nothing from
 * control/; no `any` anywhere.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const TOP = ['control', 'agent', 'cri', 'netproxy'];

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
const importsOf = (text: string): string[] => [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"\n]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);

describe('source layout rules', () => {
  it('agent/ and netproxy/ import only control/api, control/client and control/util; cri/ nothing from control/', () => {
    const bad: string[] = [];
    for (const f of files) {
      const rel = relative(ROOT, f);
      const top = rel.split('/')[0];
      if (top === 'control') continue;
      // tests and test doubles may use the control plane's test environments
      if (rel.endsWith('.test.ts') || rel.includes('/testing/')) continue;
      for (const spec of importsOf(readFileSync(f, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = relative(ROOT, resolve(dirname(f), spec));
        if (!target.startsWith('control/')) continue;
        const allowed = top !== 'cri' && /^control\/(api|client|util)\//.test(target);
        if (!allowed) bad.push(`${rel} imports ${target}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('no `any` in the sources', () => {
    const bad: string[] = [];
    for (const f of files.filter((x) => x !== import.meta.filename)) {
      const text = readFileSync(f, 'utf8').replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
      if (/(:\s*any\b|\bas\s+any\b|<any>|any\[\])/.test(text)) bad.push(relative(ROOT, f));
    }
    expect(bad).toEqual([]);
  });
});
