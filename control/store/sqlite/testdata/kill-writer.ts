/**
 * Test helper: runs the real SqliteStore in a child node process that creates keys as fast as it
 * can, printing each acknowledged revision, and SIGKILLs it once `minAcks` writes were acknowledged.
 * Node 20 cannot run TypeScript, so the store's sources are transpiled (typescript.transpileModule)
 * into a temporary directory first.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const STORE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOURCES = ['types.ts', 'watch-hub.ts', 'sqlite/schema.ts', 'sqlite/statements.ts', 'sqlite/compactor.ts', 'sqlite/sqlite-store.ts'];

const CHILD = `
import { SqliteStore } from './sqlite/sqlite-store.js';
const store = new SqliteStore({ path: process.argv[2], compactIntervalMs: 0 });
for (let i = 0; i < 1_000_000; i++) {
  const key = '/kill/k' + i;
  const kv = await store.create(key, new TextEncoder().encode('v' + i));
  process.stdout.write(key + ' ' + kv.modRevision + '\\n');
}
`;

function transpile(into: string): void {
  const sqlite = pathToFileURL(createRequire(import.meta.url).resolve('better-sqlite3')).href;
  for (const rel of SOURCES) {
    const src = readFileSync(join(STORE_DIR, rel), 'utf8');
    const out = ts.transpileModule(src, {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText.replaceAll(`'better-sqlite3'`, `'${sqlite}'`);
    const dest = join(into, rel.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, out);
  }
  writeFileSync(join(into, 'child.mjs'), CHILD);
}

export async function writeUntilKilled(dbPath: string, minAcks: number): Promise<Array<{ key: string; rev: number }>> {
  const dir = mkdtempSync(join(tmpdir(), 'tinykube-kill-'));
  try {
    transpile(dir);
    const child = spawn(process.execPath, [join(dir, 'child.mjs'), dbPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: Array<{ key: string; rev: number }> = [];
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [key, rev] = line.split(' ');
        acked.push({ key: key!, rev: Number(rev) });
      }
      if (acked.length >= minAcks) child.kill('SIGKILL');
    });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res) => child.on('close', (c, s) => res([c, s])));
    if (signal !== 'SIGKILL') throw new Error(`writer exited (code ${code}) before it was killed: ${stderr}`);
    return acked;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
