/**
 * Runs every benchmark script (`*.bench.js` next to this file) in its own process, one after the
 * other, passing the command-line arguments through. A name filter selects some:
 *
 *   node dist/test/bench/run.js [name-substring] [--full] [-- bench args]
 *
 * `--full` (or TINYKUBE_BENCH_FULL=1) runs the load benchmark at the size (1,000 pods,
 * 100 watchers, 50 writers) instead of its quick default.
 *
 * Exits non-zero when any benchmark failed functionally (timing never fails a run).
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;

function runOne(file: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(dir, file), ...args], { stdio: 'inherit' });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const sep = argv.indexOf('--');
  const before = sep >= 0 ? argv.slice(0, sep) : argv;
  const filters = before.filter((a) => !a.startsWith('-'));
  // `--full` (the issue-size load run) reaches every benchmark; the others ignore it
  const passThrough = [...before.filter((a) => a === '--full'), ...(sep >= 0 ? argv.slice(sep + 1) : [])];
  const files = readdirSync(dir).filter((f) => f.endsWith('.bench.js') && (filters.length === 0 || filters.some((n) => f.includes(n)))).sort();
  if (files.length === 0) { process.stderr.write(`no benchmark matches ${filters.join(' ')}\n`); return 2; }
  let failed = 0;
  for (const f of files) {
    process.stdout.write(`== ${f}\n`);
    if ((await runOne(f, passThrough)) !== 0) failed++;
  }
  return failed > 0 ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (err: unknown) => { console.error(err); process.exitCode = 1; });
