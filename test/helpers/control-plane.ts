/**
 * Runs the real `tinykube server` (compiled, in dist/) as a child process on a free loopback port,
 * and the real kubectl against it with a private discovery cache.
 */
import { DAEMON_NODE_FLAGS, daemonEnv } from '../../cli/daemon-node.js';
import { spawn, execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { request } from 'node:https';
import { killNow, stopGracefully } from './child.js';

/** The repository root: the nearest directory above this file with a package.json (works from dist/ too). */
export const ROOT = ((): string => {
  let d = import.meta.dirname;
  while (!existsSync(join(d, 'package.json')) && dirname(d) !== d) d = dirname(d);
  return d;
})();
export const CLI = join(ROOT, 'dist/cli/main.js');

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? res(addr.port) : rej(new Error('no port'))));
    });
  });
}

export interface Run { code: number; stdout: string; stderr: string }

export class TestControlPlane {
  proc?: ChildProcess;
  readonly dataDir: string;
  readonly cacheDir: string;
  port = 0;
  log = '';

  constructor(readonly opts: { store?: string; extraArgs?: string[]; /** node flags for the server only, e.g. --cpu-prof */ nodeFlags?: string[];
    /** TINYKUBE_LOG_LEVEL for the server (default warn) */ logLevel?: string; } = {}) {
    this.dataDir = mkdtempSync(join(tmpdir(), 'tk-e2e-'));
    this.cacheDir = join(this.dataDir, 'kube-cache');
  }

  get pid(): number | undefined { return this.proc?.pid; }
  get pkiDir(): string { return join(this.dataDir, 'pki'); }
  get kubeconfig(): string { return join(this.dataDir, 'admin.kubeconfig'); }
  get url(): string { return `https://127.0.0.1:${this.port}`; }
  get token(): string { return readFileSync(join(this.dataDir, 'admin.token'), 'utf8').trim(); }
  get caCert(): string { return readFileSync(join(this.dataDir, 'pki/ca.crt'), 'utf8'); }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const args = [...DAEMON_NODE_FLAGS, ...(this.opts.nodeFlags ?? []), CLI, 'server', '--data-dir', this.dataDir, '--listen', `127.0.0.1:${this.port}`, '--advertise-address', '127.0.0.1',
      ...(this.opts.store ? ['--store', this.opts.store] : []), ...(this.opts.extraArgs ?? [])];
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: daemonEnv({ ...process.env, TINYKUBE_LOG_LEVEL: this.opts.logLevel ?? 'warn' }) });
    this.proc = proc;
    proc.stdout?.on('data', (d: Buffer) => { this.log += d.toString(); });
    proc.stderr?.on('data', (d: Buffer) => { this.log += d.toString(); });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`server exited ${proc.exitCode}: ${this.log}`);
      if (await this.ready()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server not ready: ${this.log}`);
  }

  ready(): Promise<boolean> {
    return new Promise((res) => {
      const req = request({ host: '127.0.0.1', port: this.port, path: '/readyz', rejectUnauthorized: false, timeout: 1000 }, (r) => { r.resume(); res(r.statusCode === 200); });
      req.on('error', () => res(false));
      req.end();
    });
  }

  /** kill -9 and wait for the exit. */
  kill9(): Promise<void> { return killNow(this.proc); }

  stop(): Promise<void> { return stopGracefully(this.proc, 5000); }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Run the real kubectl; never throws on a non-zero exit. */
  kubectl(args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<Run> {
    return new Promise((res) => {
      const child = execFile('kubectl', ['--kubeconfig', this.kubeconfig, '--cache-dir', this.cacheDir, ...args],
        { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
          const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
          res({ code, stdout, stderr });
        });
      if (opts.input !== undefined) { child.stdin?.end(opts.input); }
    });
  }

  /** kubectl that must succeed: returns stdout. */
  async k(...args: string[]): Promise<string> {
    const r = await this.kubectl(args);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  /** Write a manifest into the data dir and return its path. */
  manifest(name: string, yaml: string): string {
    const f = join(this.dataDir, name);
    writeFileSync(f, yaml);
    return f;
  }
}
