/**
 * The node API's wire protocols against a FakeRuntime, client side written here (no kubectl,
 * no Docker): WebSocket v5 frames, SPDY/3.1 port-forward, and who may connect.
 */
import { request } from 'node:https';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { connect } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startNodeApi } from '../../agent/node-api/node-api.js';
import type { NodeApi } from '../../agent/node-api/node-api.js';
import { startSpdySession } from '../../agent/node-api/spdy.js';
import type { SpdyStream } from '../../agent/node-api/spdy.js';
import { fakePodLookup, runFakePod } from '../../agent/node-api/testing/fake-pods.js';
import { createCa } from '../../control/pki/create-ca.js';
import { issueClientCert, issueServingCert } from '../../control/pki/issue-cert.js';
import { silentLogger } from '../../control/util/log.js';
import { FakeRuntime } from '../../cri/fake/fake-runtime.js';

interface Creds { cert: string; key: string }

describe('node API wire protocols', () => {
  let api: NodeApi;
  let echo: Server;
  let ca: string;
  let good: Creds;
  let wrongUser: Creds;
  const runtime = async (): Promise<FakeRuntime> => {
    const rt = new FakeRuntime({ images: ['busybox'], portForwardTo: { host: '127.0.0.1', port: (echo.address() as AddressInfo).port } });
    const p = await runFakePod(rt, { namespace: 'default', name: 'p', image: 'busybox', containers: ['app'] });
    rt.log(p.containers.get('app') ?? '', 'hello');
    return rt;
  };

  beforeAll(async () => {
    const root = await createCa();
    const pair = { caCertPem: root.certPem, caKeyPem: root.keyPem };
    ca = root.certPem;
    const serving = await issueServingCert(pair, { commonName: 'node', hosts: ['127.0.0.1'] });
    const client = await issueClientCert(pair, { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'] });
    const other = await issueClientCert(pair, { commonName: 'system:node:other' });
    good = { cert: client.certPem, key: client.keyPem };
    wrongUser = { cert: other.certPem, key: other.keyPem };
    echo = createServer((s) => s.pipe(s));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const rt = await runtime();
    api = await startNodeApi({ host: '127.0.0.1', port: 0, tls: { cert: serving.certPem, key: serving.keyPem, ca }, runtime: rt, pods: fakePodLookup(rt), log: silentLogger() });
  });
  afterAll(async () => {
    await api?.close();
    await new Promise<void>((resolve) => echo.close(() => resolve()));
  });

  const get = (path: string, creds?: Creds) => new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: api.port, path, ca, ...(creds ?? {}) }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });

  it('serves logs to the API server only: 401 without a certificate, 403 for another user', async () => {
    expect(await get('/containerLogs/default/p/app', good)).toEqual({ status: 200, body: 'hello\n' });
    expect((await get('/containerLogs/default/p/app')).status).toBe(401);
    const forbidden = await get('/containerLogs/default/p/app', wrongUser);
    expect(forbidden.status).toBe(403);
    expect(JSON.parse(forbidden.body)).toMatchObject({ reason: 'Forbidden', message: expect.stringContaining('user=system:node:other') });
    expect((await get('/containerLogs/default/missing/app', good)).status).toBe(404);
  });

  const wsExec = (query: string, send: Buffer[] = []) => new Promise<{ protocol: string; frames: number[][]; code: number }>((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${api.port}/exec/default/p/app?${query}`, ['v5.channel.k8s.io'], { ca, ...good });
    const frames: number[][] = [];
    ws.on('open', () => { for (const b of send) ws.send(b); });
    ws.on('message', (d: Buffer) => frames.push([...d]));
    ws.on('close', (code) => resolve({ protocol: ws.protocol, frames, code }));
    ws.on('error', reject);
  });
  const text = (frames: number[][], channel: number) => Buffer.from(frames.filter((f) => f[0] === channel).flatMap((f) => f.slice(1))).toString();

  it('exec over WebSocket v5: stdout on channel 1, Success on channel 3, close 1000', async () => {
    const r = await wsExec('command=echo&command=hi&output=1&error=1');
    expect(r.protocol).toBe('v5.channel.k8s.io');
    expect(text(r.frames, 1)).toBe('hi\n');
    expect(JSON.parse(text(r.frames, 3))).toEqual({ metadata: {}, status: 'Success' });
    expect(r.frames.at(-1)?.[0]).toBe(3);
    expect(r.code).toBe(1000);
  });

  it('exec over WebSocket v5: stdin on channel 0 until [255,0]', async () => {
    const r = await wsExec('command=cat&input=1&output=1', [Buffer.from([0, ...Buffer.from('abc')]), Buffer.from([255, 0])]);
    expect(text(r.frames, 1)).toBe('abc');
  });

  it('exec over WebSocket v5: a non-zero exit is NonZeroExitCode with the code as a cause', async () => {
    const r = await wsExec(`command=sh&command=-c&command=${encodeURIComponent('echo bye >&2; exit 3')}&output=1&error=1`);
    expect(text(r.frames, 2)).toBe('bye\n');
    expect(JSON.parse(text(r.frames, 3))).toMatchObject({ reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } });
  });

  const upgrade = (method: string, path: string, headers: string[]) => new Promise<{ socket: TLSSocket; head: string }>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: api.port, ca, ...good }, () => {
      socket.write([`${method} ${path} HTTP/1.1`, 'Host: node', 'Connection: Upgrade', ...headers, '', ''].join('\r\n'));
    });
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      const rest = buf.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve({ socket, head: buf.subarray(0, end).toString() });
    };
    socket.on('data', onData);
    socket.on('error', reject);
  });

  it('port-forward refuses WebSocket (so kubectl falls back) and speaks SPDY/3.1', async () => {
    const ws = await upgrade('GET', '/portForward/default/p', ['Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io']);
    expect(ws.head).toMatch(/^HTTP\/1.1 400 /);
    ws.socket.destroy();

    const { socket, head } = await upgrade('POST', '/portForward/default/p', ['Upgrade: SPDY/3.1', 'X-Stream-Protocol-Version: portforward.k8s.io']);
    expect(head).toMatch(/^HTTP\/1.1 101 /);
    expect(head).toContain('X-Stream-Protocol-Version: portforward.k8s.io');
    const conn = startSpdySession(socket, { isServer: false });
    const open = (headers: Record<string, string>) => new Promise<SpdyStream>((resolve, reject) => {
      conn.request({ method: 'POST', path: '/', headers }, (err, stream) => (err ? reject(err) : resolve(stream)));
    });
    const error = await open({ streamtype: 'error', port: '80', requestid: '0' });
    error.end();
    const data = await open({ streamtype: 'data', port: '80', requestid: '0' });
    const reply = new Promise<string>((resolve) => data.once('data', (d: Buffer) => resolve(d.toString())));
    data.write('ping');
    expect(await reply).toBe('ping');
    socket.destroy();
  });
});
