/**
 * The streaming client (cri/streaming) against tinykube's own streaming server side over
 * loopback, with a FakeRuntime behind it: the node API's StreamUpgrader (exec and attach over
 * WebSocket and SPDY, stdin half-close, exit codes and failures, port-forward over both, refusals
 * as CriError kinds), and agent/cri-server's streaming server that serves it on CRI URLs.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Server as TcpServer } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStreamingServer } from '../../agent/cri-server/streaming-server.js';
import type { StreamingServer } from '../../agent/cri-server/streaming-server.js';
import { StreamUpgrader } from '../../agent/node-api/stream-upgrade.js';
import type { StreamTarget } from '../../agent/node-api/stream-upgrade.js';
import { runFakePod } from '../../agent/node-api/testing/fake-pods.js';
import { silentLogger } from '../../control/util/log.js';
import { isCriError } from '../../cri/errors.js';
import { FakeRuntime } from '../../cri/fake/fake-runtime.js';
import { dialAttach, dialExec, dialPortForward } from '../../cri/streaming/client.js';
import type { StreamTransport } from '../../cri/streaming/client.js';
import type { ExecOptions } from '../../cri/types.js';

const read = (s: Readable | undefined): Promise<string> => new Promise((resolve) => {
  if (!s) { resolve(''); return; }
  let text = '';
  s.on('data', (d: Buffer) => { text += d.toString(); });
  s.once('end', () => resolve(text));
});
const readUntil = (s: Readable, want: string): Promise<string> => new Promise((resolve) => {
  let text = '';
  const onData = (d: Buffer) => { text += d.toString(); if (text.includes(want)) { s.off('data', onData); resolve(text); } };
  s.on('data', onData);
});

describe('streaming client against the StreamUpgrader', () => {
  let server: Server;
  let echo: TcpServer;
  let rt: FakeRuntime;
  let base = '';
  let app = '';
  let sandbox = '';
  const upgrader = new StreamUpgrader();
  /** One-use tokens, as a CRI streaming server hands them out. */
  const tokens = new Map<string, (req: IncomingMessage) => StreamTarget>();
  const issue = (path: 'exec' | 'attach' | 'portforward', target: (req: IncomingMessage) => StreamTarget): string => {
    const token = randomUUID();
    tokens.set(token, target);
    return `${base}/${path}/${token}`;
  };
  const execUrl = (opts: ExecOptions, containerId = app) => issue('exec', () => ({
    kind: 'exec', flags: opts, start: () => rt.exec(containerId, opts),
  }));
  const exec = (cmd: string[], flags: Partial<ExecOptions>, transport?: StreamTransport) => {
    const opts = { cmd, stdin: false, stdout: true, stderr: true, tty: false, ...flags };
    return dialExec(execUrl(opts), opts, transport ? { transport } : {});
  };

  beforeAll(async () => {
    echo = createTcpServer((sock) => sock.pipe(sock));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    rt = new FakeRuntime({ images: ['busybox'], portForwardTo: { host: '127.0.0.1', port: (echo.address() as AddressInfo).port } });
    const pod = await runFakePod(rt, { namespace: 'default', name: 'p', image: 'busybox', containers: ['app', 'other'] });
    app = pod.containers.get('app')!;
    sandbox = pod.sandboxId;
    server = createServer((_req, res) => { res.writeHead(400); res.end(); });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const token = new URL(req.url ?? '/', 'http://x').pathname.split('/')[2] ?? '';
      const target = tokens.get(token);
      tokens.delete(token);
      if (!target) { socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 15\r\n\r\ntoken not found'); return; }
      void upgrader.serve(req, socket, head, target(req), silentLogger());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    upgrader.close();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await new Promise((r) => echo?.close(r));
  });

  it.each<StreamTransport>(['websocket', 'spdy'])('%s exec: stdout, stderr and the exit code', async (transport) => {
    const s = await exec(['sh', '-c', 'echo hi; echo bye >&2; exit 3'], {}, transport);
    const [out, err, code] = await Promise.all([read(s.stdout), read(s.stderr), s.exitCode]);
    expect({ out, err, code }).toEqual({ out: 'hi\n', err: 'bye\n', code: 3 });
    const ok = await exec(['echo', 'fine'], { stderr: false }, transport);
    expect(await read(ok.stdout)).toBe('fine\n');
    expect(await ok.exitCode).toBe(0);
    expect(ok.stderr).toBeUndefined();
  });

  it('exec with stdin goes over SPDY by default, and ending stdin is EOF for the process', async () => {
    const s = await exec(['cat'], { stdin: true });
    s.stdin!.write('abc');
    s.stdin!.end('def');
    expect(await read(s.stdout)).toBe('abcdef');
    expect(await s.exitCode).toBe(0);
  });

  it('WebSocket stdin reaches the process (it cannot be half-closed: the attach ends when the container does)', async () => {
    const id = [...(await rt.listContainers({})).filter((c) => c.metadata.name === 'other')][0]!.id;
    const flags = { stdin: true, stdout: true, stderr: false, tty: false };
    const url = issue('attach', () => ({ kind: 'attach', flags, start: () => rt.attach(id, flags) }));
    const s = await dialAttach(url, flags, { transport: 'websocket' });
    const echoed = readUntil(s.stdout, 'ping');
    s.stdin!.write('ping');
    expect(await echoed).toBe('ping');
    await rt.stopContainer(id, 0);
    expect(await s.exitCode).toBe(137); // the fake's stopped main process: killed
  });

  it.each<StreamTransport>(['websocket', 'spdy'])('%s: a session that fails to start rejects exitCode with the server\'s message', async (transport) => {
    const opts = { cmd: ['true'], stdin: false, stdout: true, stderr: true, tty: false };
    const s = await dialExec(execUrl(opts, 'no-such-container'), opts, { transport });
    const outcome = await s.exitCode.then(() => undefined, (e: unknown) => e);
    expect(isCriError(outcome, 'Unknown')).toBe(true);
    expect(String(outcome)).toContain('no-such-container');
  });

  it.each<StreamTransport>(['websocket', 'spdy'])('%s: a used or unknown token is NotFound', async (transport) => {
    const opts = { cmd: ['true'], stdin: false, stdout: true, stderr: false, tty: false };
    const url = execUrl(opts);
    await (await dialExec(url, opts, { transport })).exitCode;
    const err = await dialExec(url, opts, { transport }).then(() => undefined, (e: unknown) => e);
    expect(isCriError(err, 'NotFound')).toBe(true);
    expect(String(err)).toContain('token not found');
  });

  it.each<StreamTransport>(['websocket', 'spdy'])('%s: tty exec with resize', async (transport) => {
    const s = await exec(['echo', 'tty'], { tty: true, stderr: false }, transport);
    s.resize?.({ width: 100, height: 30 });
    expect(await read(s.stdout)).toBe('tty\n');
    expect(await s.exitCode).toBe(0);
  });

  it.each<StreamTransport>(['websocket', 'spdy'])('%s port-forward: bytes both ways to the port in the pod', async (transport) => {
    const before = rt.forwardedPorts.length;
    const url = issue('portforward', (req) => ({
      kind: 'portForward', pod: sandbox, dial: (port) => rt.portForward(sandbox, port),
      webSocketPorts: new URL(req.url ?? '/', 'http://x').searchParams.getAll('port').map(Number),
    }));
    const conn = await dialPortForward(url, 8080, { transport });
    const got = readUntil(conn as Readable, 'hello');
    conn.write('hello');
    expect(await got).toBe('hello');
    expect(rt.forwardedPorts.slice(before)).toEqual([8080]);
    conn.destroy();
  });

  it.each<StreamTransport>(['websocket', 'spdy'])('%s port-forward: a failure to reach the port destroys the stream with the server\'s text', async (transport) => {
    const url = issue('portforward', () => ({
      kind: 'portForward', pod: sandbox, dial: () => Promise.reject(new Error('connection refused')), webSocketPorts: [9],
    }));
    const conn = await dialPortForward(url, 9, { transport });
    const err = await new Promise<unknown>((resolve) => { conn.once('error', resolve); conn.resume(); });
    expect(isCriError(err, 'Unknown')).toBe(true);
    expect(String(err)).toContain('connection refused');
  });
});

describe('streaming client against agent/cri-server\'s streaming server (the Docker node\'s CRI URLs)', () => {
  let streaming: StreamingServer;
  let echo: TcpServer;
  let rt: FakeRuntime;
  let app = '';
  let sandbox = '';

  beforeAll(async () => {
    echo = createTcpServer((sock) => sock.pipe(sock));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    rt = new FakeRuntime({ images: ['busybox'], portForwardTo: { host: '127.0.0.1', port: (echo.address() as AddressInfo).port } });
    const pod = await runFakePod(rt, { namespace: 'default', name: 'q', image: 'busybox', containers: ['app'] });
    app = pod.containers.get('app')!;
    sandbox = pod.sandboxId;
    streaming = await startStreamingServer({ runtime: rt, log: silentLogger() });
  });
  afterAll(async () => {
    await streaming?.close();
    await new Promise((r) => echo?.close(r));
  });

  type Flags = Partial<Omit<ExecOptions, 'cmd'>>;
  const flagsOf = (f: Flags) => ({ stdin: false, stdout: true, stderr: true, tty: false, ...f });

  it.each([
    ['no stdin, no TTY (WebSocket)', {}],
    ['stdin (SPDY)', { stdin: true }],
    ['TTY (SPDY)', { tty: true, stderr: false }],
  ])('exec with %s: output and exit code', async (_name, f: Flags) => {
    const opts = { cmd: ['sh', '-c', 'echo hi; exit 3'], ...flagsOf(f) };
    const s = await dialExec(streaming.url({ kind: 'exec', containerId: app, ...opts }), opts);
    s.stdin?.end();
    const [out, code] = await Promise.all([read(s.stdout), s.exitCode]);
    expect({ out, code }).toEqual({ out: 'hi\n', code: 3 });
  });

  it('exec cat with stdin: EOF when stdin ends', async () => {
    const opts = { cmd: ['cat'], ...flagsOf({ stdin: true }) };
    const s = await dialExec(streaming.url({ kind: 'exec', containerId: app, ...opts }), opts);
    s.stdin!.end('round trip');
    expect(await read(s.stdout)).toBe('round trip');
    expect(await s.exitCode).toBe(0);
  });

  it.each<StreamTransport>(['websocket', 'spdy'])('%s port-forward through a CRI URL', async (transport) => {
    const conn = await dialPortForward(streaming.url({ kind: 'portForward', podSandboxId: sandbox, ports: [7000] }), 7000, { transport });
    const got = readUntil(conn as Readable, 'echo me');
    conn.write('echo me');
    expect(await got).toBe('echo me');
    conn.destroy();
  });

  it('a consumed token is NotFound', async () => {
    const opts = { cmd: ['true'], ...flagsOf({}) };
    const url = streaming.url({ kind: 'exec', containerId: app, ...opts });
    await (await dialExec(url, opts)).exitCode;
    expect(isCriError(await dialExec(url, opts).catch((e: unknown) => e), 'NotFound')).toBe(true);
  });
});
