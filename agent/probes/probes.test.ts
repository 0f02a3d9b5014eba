import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CriError } from '../../cri/errors.js';
import { execProbe } from './exec.js';
import { httpProbe } from './http.js';
import { tcpProbe } from './tcp.js';

describe('probes', () => {
  const server = createServer((req, res) => { res.statusCode = req.url === '/ok' ? 200 : req.url === '/moved' ? 302 : 500; res.end('body'); });
  let port = 0;
  beforeAll(async () => { await new Promise<void>((r) => server.listen(0, '127.0.0.1', r)); port = (server.address() as AddressInfo).port; });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it.each([['/ok', true], ['/moved', true], ['/bad', false]])('http GET %s → ok=%s', async (path, ok) => {
    const r = await httpProbe({ host: '127.0.0.1', port, path, timeoutSeconds: 1 });
    expect(r.ok).toBe(ok);
    if (!ok) expect(r.output).toBe('HTTP probe failed with statuscode: 500');
  });

  it('HTTPS speaks TLS and does not verify the pod\'s (self-signed) certificate; HTTP to a TLS port fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tk-probe-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=probe',
        '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { stdio: 'ignore' });
      const tls = createHttpsServer({ key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) }, (req, res) => { res.statusCode = req.url === '/ready' ? 200 : 404; res.end(); });
      await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
      const tlsPort = (tls.address() as AddressInfo).port;
      try {
        expect(await httpProbe({ host: '127.0.0.1', port: tlsPort, path: '/ready', timeoutSeconds: 2, scheme: 'HTTPS' })).toMatchObject({ ok: true });
        expect(await httpProbe({ host: '127.0.0.1', port: tlsPort, path: '/nope', timeoutSeconds: 2, scheme: 'HTTPS' })).toEqual({ ok: false, output: 'HTTP probe failed with statuscode: 404' });
        expect((await httpProbe({ host: '127.0.0.1', port: tlsPort, path: '/ready', timeoutSeconds: 2 })).ok).toBe(false);
      } finally {
        await new Promise<void>((r) => tls.close(() => r()));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tcp connects, or reports connection refused', async () => {
    expect((await tcpProbe('127.0.0.1', port, 1)).ok).toBe(true);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const p = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await tcpProbe('127.0.0.1', p, 1)).toEqual({ ok: false, output: `dial tcp 127.0.0.1:${p}: connect: connection refused` });
  });

  it('exec succeeds on exit 0 and reports output otherwise', async () => {
    const rt = (exitCode: number) => ({ execSync: async () => ({ stdout: Buffer.from('out'), stderr: Buffer.alloc(0), exitCode }) });
    expect((await execProbe(rt(0), 'c', ['true'], 1)).ok).toBe(true);
    expect(await execProbe(rt(1), 'c', ['false'], 1)).toEqual({ ok: false, output: 'out' });
    const slow = { execSync: async () => { throw new CriError('DeadlineExceeded', 'x'); } };
    expect((await execProbe(slow, 'c', ['sleep', '9'], 1)).output).toBe('command "sleep 9" timed out');
  });
});
