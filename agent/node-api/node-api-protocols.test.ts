/**
 * exec over every remote command protocol the node API serves, against a FakeRuntime on
 * loopback: the WebSocket subprotocols (v5, v4, channel.k8s.io, the base64 ones, none) and the
 * older SPDY versions (v3, v2, v1), and the refusals when nothing matches.
 */
import { connect } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createCa } from '../../control/pki/create-ca.js';
import { issueClientCert, issueServingCert } from '../../control/pki/issue-cert.js';
import { silentLogger } from '../../control/util/log.js';
import { FakeRuntime } from '../../cri/fake/fake-runtime.js';
import { startNodeApi } from './node-api.js';
import type { NodeApi } from './node-api.js';
import { startSpdySession } from './spdy.js';
import type { SpdyStream } from './spdy.js';
import { fakePodLookup, runFakePod } from './testing/fake-pods.js';

const EXEC_OK = 'command=echo&command=hi&output=1&error=1';
const EXEC_FAIL = `command=sh&command=-c&command=${encodeURIComponent('echo bye >&2; exit 3')}&output=1&error=1`;

describe('node API exec protocols', () => {
  let api: NodeApi;
  let ca = '';
  let creds = { cert: '', key: '' };
  beforeAll(async () => {
    const root = await createCa();
    const pair = { caCertPem: root.certPem, caKeyPem: root.keyPem };
    ca = root.certPem;
    const serving = await issueServingCert(pair, { commonName: 'node', hosts: ['127.0.0.1'] });
    const client = await issueClientCert(pair, { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'] });
    creds = { cert: client.certPem, key: client.keyPem };
    const rt = new FakeRuntime({ images: ['busybox'] });
    await runFakePod(rt, { namespace: 'default', name: 'p', image: 'busybox', containers: ['app'] });
    api = await startNodeApi({ host: '127.0.0.1', port: 0, tls: { cert: serving.certPem, key: serving.keyPem, ca }, runtime: rt, pods: fakePodLookup(rt), log: silentLogger() });
  });
  afterAll(async () => { await api?.close(); });

  interface WsResult { protocol: string; frames: { binary: boolean; data: Buffer }[] }
  /** Runs until the server closes, or until `closeWhen` holds (then the client closes). */
  const wsExec = (query: string, protocols: string[], send: (Buffer | string)[] = [], closeWhen?: (r: WsResult) => boolean) => new Promise<WsResult>((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${api.port}/exec/default/p/app?${query}`, protocols, { ca, ...creds });
    const frames: WsResult['frames'] = [];
    ws.on('open', () => { for (const b of send) ws.send(b); });
    ws.on('message', (data: Buffer, binary: boolean) => {
      frames.push({ binary, data });
      if (closeWhen?.({ protocol: ws.protocol, frames })) ws.close();
    });
    ws.on('close', () => resolve({ protocol: ws.protocol, frames }));
    ws.on('error', reject);
  });
  /** Channel `ch`'s bytes: raw frames, or digit + base64 text frames. */
  const channel = (r: WsResult, ch: number): string => Buffer.concat(r.frames.map(({ binary, data }) => {
    if (binary) return data[0] === ch ? data.subarray(1) : Buffer.alloc(0);
    return data[0] === 0x30 + ch ? Buffer.from(data.subarray(1).toString(), 'base64') : Buffer.alloc(0);
  })).toString();

  it('picks the first subprotocol the client offers that it serves', async () => {
    expect((await wsExec(EXEC_OK, ['v4.channel.k8s.io', 'v5.channel.k8s.io'])).protocol).toBe('v4.channel.k8s.io');
    expect((await wsExec(EXEC_OK, ['bogus', 'channel.k8s.io', 'v5.channel.k8s.io'])).protocol).toBe('channel.k8s.io');
  });

  it('v4.channel.k8s.io (the Python client’s): an empty frame first, output, then the Status JSON on channel 3', async () => {
    const ok = await wsExec(EXEC_OK, ['v4.channel.k8s.io']);
    expect([...ok.frames[0]!.data]).toEqual([1]);
    expect(channel(ok, 1)).toBe('hi\n');
    expect(JSON.parse(channel(ok, 3))).toEqual({ metadata: {}, status: 'Success' });
    const failed = await wsExec(EXEC_FAIL, ['v4.channel.k8s.io']);
    expect(channel(failed, 2)).toBe('bye\n');
    expect(JSON.parse(channel(failed, 3))).toMatchObject({ reason: 'NonZeroExitCode', details: { causes: [{ message: '3' }] } });
  });

  it.each([['channel.k8s.io'], ['']])('pre-v4 %j: nothing on channel 3 on success, the message on failure', async (protocol) => {
    const ok = await wsExec(EXEC_OK, protocol ? [protocol] : []);
    expect(ok.protocol).toBe(protocol);
    expect(channel(ok, 1)).toBe('hi\n');
    expect(ok.frames.filter((f) => f.data[0] === 3)).toEqual([]);
    const failed = await wsExec(EXEC_FAIL, protocol ? [protocol] : []);
    expect(channel(failed, 3)).toBe('command terminated with non-zero exit code: exit status 3');
  });

  it.each([['base64.channel.k8s.io', false], ['v4.base64.channel.k8s.io', true]])('%s: text frames, digit and base64, stdin too', async (protocol, json) => {
    // no close channel before v5: stdin stays open until the client hangs up once cat echoed it
    const r = await wsExec('command=cat&input=1&output=1', [protocol], [`0${Buffer.from('abc').toString('base64')}`], (x) => channel(x, 1) === 'abc');
    expect(r.frames.every((f) => !f.binary)).toBe(true);
    expect(r.frames[0]!.data.toString()).toBe('1');
    expect(channel(r, 1)).toBe('abc');
    const echo = await wsExec(EXEC_OK, [protocol]);
    expect(channel(echo, 1)).toBe('hi\n');
    expect(channel(echo, 3)).toBe(json ? '{"metadata":{},"status":"Success"}' : '');
  });

  const rawUpgrade = (headers: string[]) => new Promise<{ socket: TLSSocket; head: string }>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: api.port, ca, ...creds }, () => {
      socket.write(['POST /exec/default/p/app?' + EXEC_OK + ' HTTP/1.1', 'Host: node', 'Connection: Upgrade', ...headers, '', ''].join('\r\n'));
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

  it('refuses a WebSocket offering none of its subprotocols with a 403', async () => {
    const { socket, head } = await rawUpgrade(['Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol: v3.channel.k8s.io']);
    socket.destroy();
    expect(head).toMatch(/^HTTP\/1.1 403 /);
  });

  it.each([
    ['v3.channel.k8s.io', true], ['v2.channel.k8s.io', false], ['channel.k8s.io', false],
  ])('SPDY %s: output on stdout, no status on success (resize stream: %s)', async (version) => {
    const { socket, head } = await rawUpgrade(['Upgrade: SPDY/3.1', `X-Stream-Protocol-Version: ${version}`]);
    expect(head).toMatch(/^HTTP\/1.1 101 /);
    expect(head).toContain(`X-Stream-Protocol-Version: ${version}`);
    const conn = startSpdySession(socket, { isServer: false });
    const open = (type: string) => new Promise<SpdyStream>((resolve, reject) => {
      conn.request({ method: 'POST', path: '/', headers: { streamtype: type } }, (err, stream) => (err ? reject(err) : resolve(stream)));
    });
    const read = (s: SpdyStream) => new Promise<string>((resolve) => {
      let text = '';
      s.on('data', (d: Buffer) => { text += d.toString(); });
      s.once('end', () => resolve(text));
    });
    const [error, stdout, stderr] = await Promise.all([open('error'), open('stdout'), open('stderr')]);
    const [errText, outText] = await Promise.all([read(error), read(stdout), read(stderr)]);
    expect(outText).toBe('hi\n');
    expect(errText).toBe('');
    socket.destroy();
  });

  it('SPDY: refuses versions it does not speak, and a missing version header', async () => {
    const v5 = await rawUpgrade(['Upgrade: SPDY/3.1', 'X-Stream-Protocol-Version: v5.channel.k8s.io']);
    v5.socket.destroy();
    expect(v5.head).toMatch(/^HTTP\/1.1 403 /);
    const none = await rawUpgrade(['Upgrade: SPDY/3.1']);
    none.socket.destroy();
    expect(none.head).toMatch(/^HTTP\/1.1 400 /);
  });
});
