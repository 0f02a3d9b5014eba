/**
 * The baseline: a bare node:https server with the API server's own serving certificate (ECDSA
 * P-256) that answers every request with one fixed small JSON. Run as its own process, like the
 * API server, so the client and the server never share a CPU-bound event loop.
 *
 *   node baseline-server.js <pki-dir>     -> prints "port <n>" once listening; stops on SIGTERM
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BODY = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 });

function serve(pkiDir: string): void {
  const server = createServer({
    key: readFileSync(join(pkiDir, 'apiserver.key')),
    cert: readFileSync(join(pkiDir, 'apiserver.crt')),
    requestCert: true, rejectUnauthorized: false, // as the API server does
    keepAliveTimeout: 60_000,
  }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(BODY) });
      res.end(BODY);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    if (typeof addr === 'object' && addr) process.stdout.write(`port ${addr.port}\n`);
  });
  process.once('SIGTERM', () => { server.closeAllConnections(); server.close(); });
}

export interface BaselineServer { port: number; pid: number; stop(): Promise<void> }

/** Spawn the baseline server on a free loopback port and wait until it listens. */
export function startBaselineServer(pkiDir: string): Promise<BaselineServer> {
  const proc: ChildProcess = spawn(process.execPath, [fileURLToPath(import.meta.url), pkiDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error('baseline server did not start')); }, 10_000);
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`baseline server exited ${code}`)); });
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /port (\d+)/.exec(out);
      if (!m || proc.pid === undefined) return;
      clearTimeout(timer);
      proc.removeAllListeners('exit');
      resolve({ port: Number(m[1]), pid: proc.pid, stop: () => stopChild(proc) });
    });
  });
}

async function stopChild(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 3000).unref())]);
  if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) { process.stderr.write('usage: baseline-server <pki-dir>\n'); process.exit(2); }
  serve(dir);
}
