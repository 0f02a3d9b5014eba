/**
 * The real `tinykube server` (compiled) as a child process on a free loopback port with a SQLite
 * store in a fresh tmp dir, as test/helpers/control-plane.ts starts it, but resolving the CLI from
 * the compiled tree this file runs in (dist/test/bench -> dist/control/cli/main.js).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../helpers/control-plane.js';

export const CLI = resolve(import.meta.dirname, '../../control/cli/main.js');

export interface ServerOptions {
  /** Extra node flags for the server process only (e.g. --cpu-prof). */
  nodeFlags?: readonly string[];
}

export class ServerProcess {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'tk-bench-'));
  proc?: ChildProcess;
  port = 0;
  log = '';

  get pid(): number | undefined { return this.proc?.pid; }
  get token(): string { return readFileSync(join(this.dataDir, 'admin.token'), 'utf8').trim(); }
  get caCert(): string { return readFileSync(join(this.dataDir, 'pki/ca.crt'), 'utf8'); }
  get pkiDir(): string { return join(this.dataDir, 'pki'); }

  async start(o: ServerOptions = {}): Promise<void> {
    this.port = await freePort();
    const args = [...(o.nodeFlags ?? []), CLI, 'server', '--data-dir', this.dataDir, '--listen', `127.0.0.1:${this.port}`, '--advertise-address', '127.0.0.1'];
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TINYKUBE_LOG_LEVEL: 'warn' } });
    this.proc = proc;
    proc.stdout?.on('data', (d: Buffer) => { this.log += d.toString(); });
    proc.stderr?.on('data', (d: Buffer) => { this.log += d.toString(); });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`server exited ${proc.exitCode}: ${this.log}`);
      if (await this.ready()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server not ready after 30 s: ${this.log}`);
  }

  private ready(): Promise<boolean> {
    return new Promise((res) => {
      const req = request({ host: '127.0.0.1', port: this.port, path: '/readyz', rejectUnauthorized: false, timeout: 1000 }, (r) => { r.resume(); res(r.statusCode === 200); });
      req.on('error', () => res(false));
      req.end();
    });
  }

  /** SIGTERM by PID (SIGKILL after 10 s), then remove the data dir. Safe to call twice. */
  async destroy(): Promise<void> {
    const p = this.proc;
    if (p?.pid !== undefined && p.exitCode === null && p.signalCode === null) {
      const exited = new Promise((r) => p.once('exit', r));
      process.kill(p.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000).unref())]);
      if (p.exitCode === null && p.signalCode === null) process.kill(p.pid, 'SIGKILL');
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
