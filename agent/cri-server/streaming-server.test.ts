/**
 * The CRI streaming server on loopback over a FakeRuntime: URLs with single-use tokens that
 * expire, exec/attach over WebSocket and SPDY, port-forward over WebSocket (`?port=N`, port
 * prefix frames) and SPDY, and the refusals (404 for a used, expired, unknown or misplaced token,
 * 400 for a plain request).
 */
import { get } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { silentLogger } from '../../control/util/log.js';
import { FakeRuntime } from '../../cri/fake/fake-runtime.js';
import { startSpdySession } from '../node-api/spdy.js';
import type { SpdyStream } from '../node-api/spdy.js';
import { runFakePod } from '../node-api/testing/fake-pods.js';
import type { FakePod } from '../node-api/testing/fake-pods.js';
import { StreamTokens } from './stream-tokens.js';
import { startStreamingServer } from './streaming-server.js';
import type { StreamingServer } from './streaming-server.js';

interface WsResult { protocol: string; frames: Buffer[]; code: number }

describe('CRI streaming server', () => {
  let server: StreamingServer;
  let pod: FakePod;
  let clock = 0;
  let app = '';
  beforeAll(async () => {
    const rt = new FakeRuntime({ images: ['busybox'] });
    pod = await runFakePod(rt, { namespace: 'default', name: 'p', image: 'busybox', containers: ['app'] });
    app = pod.containers.get('app') ?? '';
    clock = Date.now();
    server = await startStreamingServer({ runtime: rt, log: silentLogger(), tokens: new StreamTokens({ now: () => clock }) });
  });
  afterAll(async () => { await server?.close(); });

  const exec = (cmd: string[], more: { stdin?: boolean; tty?: boolean } = {}) => server.url({
    kind: 'exec', containerId: app, cmd, tty: more.tty ?? false, stdin: more.stdin ?? false, stdout: true, stderr: !more.tty,
  });
  const ws = (url: string, protocols: string[], send: Buffer[] = [], closeWhen?: (frames: Buffer[]) => boolean) => new Promise<WsResult>((resolve, reject) => {
    const c = new WebSocket(url.replace(/^http:/, 'ws:'), protocols);
    const frames: Buffer[] = [];
    c.on('open', () => { for (const b of send) c.send(b); });
    c.on('message', (d: Buffer) => { frames.push(d); if (closeWhen?.(frames)) c.close(); });
    c.on('close', (code) => resolve({ protocol: c.protocol, frames, code }));
    c.on('error', reject);
  });
  const channel = (frames: Buffer[], ch: number) => Buffer.concat(frames.filter((f) => f[0] === ch).map((f) => f.subarray(1))).toString();
  const httpStatus = (url: string) => new Promise<number>((resolve, reject) => {
    get(url, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', reject);
  });
  /** The status line of an upgrade request (SPDY headers) on `url`. */
  const upgrade = (url: string, protocol: string) => new Promise<{ socket: Socket; head: string }>((resolve, reject) => {
    const u = new URL(url);
    const socket = connect({ host: u.hostname, port: Number(u.port) }, () => {
      socket.write([`POST ${u.pathname}${u.search} HTTP/1.1`, 'Host: x', 'Connection: Upgrade', 'Upgrade: SPDY/3.1',
        `X-Stream-Protocol-Version: ${protocol}`, '', ''].join('\r\n'));
    });
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      if (buf.length > end + 4) socket.unshift(buf.subarray(end + 4));
      resolve({ socket, head: buf.subarray(0, end).toString() });
    };
    socket.on('data', onData);
    socket.on('error', reject);
  });

  it('hands out loopback URLs with distinct, unguessable tokens', () => {
    const a = exec(['true']);
    const b = exec(['true']);
    expect(a).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/exec/[A-Za-z0-9_-]{22}$`));
    expect(a).not.toBe(b);
    expect(server.url({ kind: 'portForward', podSandboxId: 'x', ports: [] })).toContain('/portforward/');
    expect(server.url({ kind: 'attach', containerId: 'x', tty: false, stdin: false, stdout: true, stderr: true })).toContain('/attach/');
  });

  it('runs the exec the token remembers over WebSocket v4.channel.k8s.io', async () => {
    const r = await ws(exec(['sh', '-c', 'echo hi; echo oops >&2; exit 3']), ['v4.channel.k8s.io']);
    expect(r.protocol).toBe('v4.channel.k8s.io');
    expect(channel(r.frames, 1)).toBe('hi\n');
    expect(channel(r.frames, 2)).toBe('oops\n');
    expect(JSON.parse(channel(r.frames, 3))).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ message: '3' }] } });
    expect(r.code).toBe(1000);
  });

  it('passes stdin through to the process', async () => {
    const r = await ws(exec(['cat'], { stdin: true }), ['v5.channel.k8s.io'], [Buffer.from([0, ...Buffer.from('abc')]), Buffer.from([255, 0])]);
    expect(channel(r.frames, 1)).toBe('abc');
  });

  it('uses a token once: the second connection gets a 404', async () => {
    const url = exec(['echo', 'once']);
    expect(channel((await ws(url, ['v4.channel.k8s.io'])).frames, 1)).toBe('once\n');
    await expect(ws(url, ['v4.channel.k8s.io'])).rejects.toThrow(/404/);
  });

  it('refuses expired, unknown and misplaced tokens with 404, and a plain request with 400 (using the token up)', async () => {
    const late = exec(['true']);
    clock += 60_001;
    await expect(ws(late, ['v4.channel.k8s.io'])).rejects.toThrow(/404/);
    await expect(ws(`http://127.0.0.1:${server.port}/exec/AAAAAAAAAAAAAAAAAAAAAA`, ['v4.channel.k8s.io'])).rejects.toThrow(/404/);
    await expect(ws(exec(['true']).replace('/exec/', '/attach/'), ['v4.channel.k8s.io'])).rejects.toThrow(/404/);
    const plain = exec(['true']);
    expect(await httpStatus(plain)).toBe(400);
    await expect(ws(plain, ['v4.channel.k8s.io'])).rejects.toThrow(/404/);
  });

  it('runs exec over SPDY/3.1 as crictl does (streams error, stdout, stderr; Status on error)', async () => {
    const { socket, head } = await upgrade(exec(['echo', 'spdy']), 'v4.channel.k8s.io');
    expect(head).toMatch(/^HTTP\/1.1 101 /);
    const conn = startSpdySession(socket, { isServer: false });
    const open = (type: string) => new Promise<SpdyStream>((resolve, reject) => {
      conn.request({ method: 'POST', path: '/', headers: { streamtype: type } }, (err, s) => (err ? reject(err) : resolve(s)));
    });
    const read = (s: SpdyStream) => new Promise<string>((resolve) => {
      let out = '';
      s.on('data', (d: Buffer) => { out += d.toString(); });
      s.once('end', () => resolve(out));
    });
    const error = await open('error');
    const stdout = await open('stdout');
    const stderr = await open('stderr');
    const [status, out] = await Promise.all([read(error), read(stdout), read(stderr)]);
    expect(out).toBe('spdy\n');
    expect(JSON.parse(status)).toMatchObject({ status: 'Success' });
    socket.destroy();
  });

  it('forwards WebSocket port-forward connections to the ports of ?port=N, each prefixed by its port', async () => {
    const url = server.url({ kind: 'portForward', podSandboxId: pod.sandboxId, ports: [] });
    const r = await ws(`${url}?port=8080`, ['v4.channel.k8s.io'], [Buffer.from([0, ...Buffer.from('ping')])],
      (frames) => channel(frames, 0).length >= 2 + 4);
    expect(r.protocol).toBe('v4.channel.k8s.io');
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16LE(8080);
    expect(r.frames.slice(0, 2)).toEqual([Buffer.from([0, ...prefix]), Buffer.from([1, ...prefix])]);
    expect(channel(r.frames, 0).slice(2)).toBe('ping'); // the fake's connection echoes
  });

  it('takes a WebSocket port-forward\'s ports from the CRI request without ?port, and refuses when there are none', async () => {
    const r = await ws(server.url({ kind: 'portForward', podSandboxId: pod.sandboxId, ports: [81, 82] }), [],
      [Buffer.from([2, ...Buffer.from('two')])], (frames) => channel(frames, 2).length >= 2 + 3);
    expect(r.protocol).toBe('');
    expect(channel(r.frames, 2).slice(2)).toBe('two');
    await expect(ws(server.url({ kind: 'portForward', podSandboxId: pod.sandboxId, ports: [] }), ['v4.channel.k8s.io'])).rejects.toThrow(/400/);
    await expect(ws(`${server.url({ kind: 'portForward', podSandboxId: pod.sandboxId, ports: [] })}?port=0`, [])).rejects.toThrow(/400/);
  });

  it('reports a dial failure on the port\'s error channel', async () => {
    const url = server.url({ kind: 'portForward', podSandboxId: 'no-such-sandbox', ports: [80] });
    const r = await ws(url, ['v4.channel.k8s.io']);
    expect(channel(r.frames, 1).slice(2)).toMatch(/error forwarding port 80 to pod no-such-sandbox/);
    expect(r.code).toBe(1000);
  });

  it('forwards a port over SPDY/3.1 (portforward.k8s.io)', async () => {
    const { socket, head } = await upgrade(server.url({ kind: 'portForward', podSandboxId: pod.sandboxId, ports: [80] }), 'portforward.k8s.io');
    expect(head).toMatch(/^HTTP\/1.1 101 /);
    const conn = startSpdySession(socket, { isServer: false });
    const open = (headers: Record<string, string>) => new Promise<SpdyStream>((resolve, reject) => {
      conn.request({ method: 'POST', path: '/', headers }, (err, s) => (err ? reject(err) : resolve(s)));
    });
    (await open({ streamtype: 'error', port: '80', requestid: '0' })).end();
    const data = await open({ streamtype: 'data', port: '80', requestid: '0' });
    const reply = new Promise<string>((resolve) => data.once('data', (d: Buffer) => resolve(d.toString())));
    data.write('pong');
    expect(await reply).toBe('pong');
    socket.destroy();
  });
});
