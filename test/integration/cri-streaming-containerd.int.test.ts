/**
 * The streaming client and the CRI log reader against a real containerd 1.6 (a private one,
 * test/helpers/private-containerd.ts): Exec/Attach/PortForward URLs from its CRI plugin dialled
 * over WebSocket and SPDY — exit codes, stdin half-close, a TTY with resize, port-forward to
 * busybox httpd — and the log files it writes (P/F split lines, a last line without newline) read
 * by readCriLog, also following.
 */
import { writeFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { credentials } from '@grpc/grpc-js';
import type { CallOptions, ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessRunner } from '../../lib/exec/process-runner.js';
import { isCriError } from '../../cri/errors.js';
import { loadCriServices } from '../../cri/grpc/load.js';
import { readCriLog } from '../../cri/logs/cri-log-file.js';
import { defaultRemoteCommandTransport, dialAttach, dialExec, dialPortForward } from '../../cri/streaming/client.js';
import type { StreamTransport } from '../../cri/streaming/client.js';
import type { LogLine } from '../../cri/types.js';
import { crictlBinary } from '../helpers/cri-tools.js';
import { startPrivateContainerd, TEST_IMAGE_FILES } from '../helpers/private-containerd.js';
import type { PrivateContainerd } from '../helpers/private-containerd.js';

const NAME = 'tk-cri-streaming';
const DIR = `/var/lib/tinykube-test/${NAME}`;
const runner = new ProcessRunner();

type Rpc = (req: object, opts: CallOptions, cb: (err: ServiceError | null, res: { url: string }) => void) => void;

const read = (s: Readable | undefined): Promise<string> => new Promise((resolve) => {
  if (!s) { resolve(''); return; }
  let text = '';
  s.on('data', (d: Buffer) => { text += d.toString(); });
  s.once('end', () => resolve(text));
});
const readUntil = (s: Readable, want: RegExp): Promise<string> => new Promise((resolve, reject) => {
  let text = '';
  const timer = setTimeout(() => reject(new Error(`no ${String(want)} in ${JSON.stringify(text)}`)), 10_000);
  const onData = (d: Buffer) => { text += d.toString(); if (want.test(text)) { clearTimeout(timer); s.off('data', onData); resolve(text); } };
  s.on('data', onData);
});

describe('cri/streaming and cri/logs against containerd', () => {
  let c: PrivateContainerd;
  let rpc: (method: 'Exec' | 'Attach' | 'PortForward', req: object) => Promise<string>;
  let close: () => void = () => undefined;
  const crictl = crictlBinary();
  const cri = async (...args: string[]): Promise<string> => (await runner.run(crictl!, ['-r', `unix://${c.address}`, '-t', '20s', ...args])).stdout.trim();
  let podId = '';
  const ids = { web: '', cat: '' };

  const container = async (name: string, command: string[], extra: object = {}): Promise<string> => {
    const file = `${DIR}/${name}.json`;
    await writeFile(file, JSON.stringify({ metadata: { name }, image: { image: 'docker.io/tinykube/busybox:1' }, command, log_path: `${name}.log`, linux: {}, ...extra }));
    const id = await cri('create', podId, file, `${DIR}/pod.json`);
    await cri('start', id);
    return id;
  };
  const exec = async (cmd: string[], flags: { stdin?: boolean; tty?: boolean; stderr?: boolean } = {}, transport?: StreamTransport) => {
    const opts = { cmd, stdin: flags.stdin ?? false, stdout: true, stderr: flags.stderr ?? !flags.tty, tty: flags.tty ?? false };
    const url = await rpc('Exec', { container_id: ids.web, ...opts });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/exec\/[\w-]+$/);
    return dialExec(url, opts, transport ? { transport } : {});
  };

  beforeAll(async () => {
    c = await startPrivateContainerd({ name: NAME, podCidr: '10.251.31.0/24', images: TEST_IMAGE_FILES.slice(0, 2) });
    const { RuntimeServiceClient } = loadCriServices();
    const client = new RuntimeServiceClient(`unix://${c.address}`, credentials.createInsecure());
    close = () => client.close();
    const methods = client as unknown as Record<string, Rpc>;
    rpc = (method, req) => new Promise((resolve, reject) => {
      methods[method]!.call(client, req, { deadline: Date.now() + 10_000 }, (err, res) => (err ? reject(err) : resolve(res.url)));
    });
    await writeFile(`${DIR}/pod.json`, JSON.stringify({ metadata: { name: 'stream-pod', namespace: 'default', uid: 'tk-cri-streaming-1', attempt: 0 }, log_directory: `${DIR}/logs`, linux: {} }));
    podId = await cri('runp', `${DIR}/pod.json`);
    ids.web = await container('web', ['sh', '-c', 'mkdir -p /tmp/www && echo hello > /tmp/www/index.html && exec httpd -f -p 80 -h /tmp/www']);
    ids.cat = await container('cat', ['cat'], { stdin: true, stdin_once: true });
  }, 90_000);
  afterAll(async () => { close(); await c?.stop(); }, 60_000);

  it.each<StreamTransport>(['websocket', 'spdy'])('%s exec: `echo hi; exit 3` gives stdout "hi" and exit code 3', async (transport) => {
    const s = await exec(['sh', '-c', 'echo hi; echo oops >&2; exit 3'], {}, transport);
    const [out, err, code] = await Promise.all([read(s.stdout), read(s.stderr), s.exitCode]);
    expect({ out, err, code }).toEqual({ out: 'hi\n', err: 'oops\n', code: 3 });
    const ok = await exec(['true'], {}, transport);
    expect(await ok.exitCode).toBe(0);
  });

  it('exec with stdin: what is written reaches the process, and ending stdin is its EOF', async () => {
    const s = await exec(['sh', '-c', 'cat; echo " <eof>"'], { stdin: true });
    s.stdin!.write('abc');
    s.stdin!.end('def');
    expect(await read(s.stdout)).toBe('abcdef <eof>\n');
    expect(await s.exitCode).toBe(0);
  });

  it('exec with stdin written later: the process waits for it', async () => {
    const s = await exec(['sh', '-c', 'cat; echo " <eof>"'], { stdin: true });
    await new Promise((r) => setTimeout(r, 700));
    s.stdin!.end('late');
    expect(await read(s.stdout)).toBe('late <eof>\n');
    expect(await s.exitCode).toBe(0);
  });

  it.each<StreamTransport>(['spdy', 'websocket'])('exec with stdin and a TTY over %s: resize reaches the terminal, the shell exits with its code', async (transport) => {
    expect(defaultRemoteCommandTransport({ stdin: true, tty: true })).toBe('spdy');
    const s = await exec(['sh'], { stdin: true, tty: true }, transport);
    s.resize?.({ width: 91, height: 33 });
    s.stdin!.write('stty size; exit 7\n');
    const [out, code] = await Promise.all([read(s.stdout), s.exitCode]);
    expect(out).toContain('33 91');
    expect(code).toBe(7);
  });

  it('exec with a TTY and no stdin (SPDY by default): output and resize', async () => {
    expect(defaultRemoteCommandTransport({ stdin: false, tty: true })).toBe('spdy');
    const s = await exec(['sh', '-c', 'sleep 0.5; stty size; exit 4'], { tty: true });
    s.resize?.({ width: 120, height: 40 });
    const [out, code] = await Promise.all([read(s.stdout), s.exitCode]);
    expect(out).toBe('40 120\r\n');
    expect(code).toBe(4);
  });

  it.each<StreamTransport>(['websocket', 'spdy'])('%s: a command that cannot start fails the session with containerd\'s message', async (transport) => {
    const s = await exec(['/no/such/binary'], {}, transport);
    const outcome = await s.exitCode.then((code) => code, (e: unknown) => e);
    // runc reports it as a failed exec (Status InternalError), not as an exit code
    expect(isCriError(outcome, 'Unknown')).toBe(true);
    expect(String(outcome)).toMatch(/no such file or directory|not found/);
  });

  it('a streaming URL is single-use: dialling it again is NotFound', async () => {
    const opts = { cmd: ['true'], stdin: false, stdout: true, stderr: true, tty: false };
    const url = await rpc('Exec', { container_id: ids.web, ...opts });
    expect(await (await dialExec(url, opts)).exitCode).toBe(0);
    const again = await dialExec(url, opts).then(() => undefined, (e: unknown) => e);
    expect(isCriError(again, 'NotFound')).toBe(true);
  });

  it('attach (SPDY, stdin): the main process reads what is written; ending stdin (stdin_once) ends it', async () => {
    const flags = { stdin: true, stdout: true, stderr: true, tty: false };
    const url = await rpc('Attach', { container_id: ids.cat, ...flags });
    expect(url).toMatch(/\/attach\//);
    const s = await dialAttach(url, flags);
    const echoed = readUntil(s.stdout, /ping\n/);
    s.stdin!.write('ping\n');
    expect(await echoed).toBe('ping\n');
    s.stdin!.end();
    expect(await s.exitCode).toBe(0);
    await expect.poll(async () => JSON.parse(await cri('inspect', ids.cat)).status.state, { timeout: 10_000 }).toBe('CONTAINER_EXITED');
  });

  it('attach without stdin to a container whose stdin is open (SPDY by default): its output flows', async () => {
    // Over WebSocket containerd reads the unrequested stdin channel as EOF and ends the attach's output at once.
    const id = await container('ticker-stdin', ['sh', '-c', 'while true; do echo tick; sleep 0.2; done'], { stdin: true });
    const flags = { stdin: false, stdout: true, stderr: true, tty: false };
    const s = await dialAttach(await rpc('Attach', { container_id: id, ...flags }), flags);
    expect(await readUntil(s.stdout, /tick\ntick\n/)).toBe('tick\ntick\n');
    await cri('stop', '-t', '0', id);
    expect(await s.exitCode).toBe(0); // containerd ends an attach with Success, whatever the exit code
  });

  it.each<StreamTransport>(['websocket', 'spdy'])('%s port-forward to busybox httpd on port 80', async (transport) => {
    const url = await rpc('PortForward', { pod_sandbox_id: podId, port: [80] });
    expect(url).toMatch(/\/portforward\//);
    const conn = await dialPortForward(url, 80, { transport });
    const answer = readUntil(conn as Readable, /hello/);
    conn.write('GET / HTTP/1.0\r\nHost: pod\r\n\r\n');
    expect(await answer).toMatch(/^HTTP\/1\.[01] 200/);
    conn.destroy();
  });

  it.each<StreamTransport>(['websocket', 'spdy'])('%s port-forward to a closed port fails with containerd\'s error text', async (transport) => {
    const url = await rpc('PortForward', { pod_sandbox_id: podId, port: [9] });
    const conn = await dialPortForward(url, 9, { transport });
    const err = await new Promise<unknown>((resolve) => { conn.once('error', resolve); conn.once('end', () => resolve('ended')); conn.resume(); });
    expect(isCriError(err, 'Unknown')).toBe(true);
    expect(String(err)).toMatch(/port 9/);
  });

  it('readCriLog reads what containerd wrote: stdout and stderr, a split long line joined, a last line without newline', async () => {
    const long = 20_000;
    const id = await container('logger', ['sh', '-c', `echo out; echo err >&2; head -c ${long} /dev/zero | tr '\\0' x; echo; printf no-newline`]);
    await expect.poll(async () => JSON.parse(await cri('inspect', id)).status.state, { timeout: 10_000 }).toBe('CONTAINER_EXITED');
    const path = JSON.parse(await cri('inspect', id)).status.logPath as string;
    const lines: LogLine[] = [];
    for await (const l of readCriLog(path, { follow: false, signal: new AbortController().signal })) lines.push(l);
    const shown = lines.map((l) => `${l.stream}:${l.line.length > 100 ? `x*${l.line.length}` : l.line.toString()}`);
    expect(shown.sort()).toEqual(['stderr:err', 'stdout:no-newline', 'stdout:out', `stdout:x*${long}`].sort());
    expect(lines.find((l) => l.line.length === long)!.line.every((b) => b === 0x78)).toBe(true);
    const tail: string[] = [];
    for await (const l of readCriLog(path, { follow: false, tailLines: 1, signal: new AbortController().signal })) tail.push(l.line.toString());
    expect(tail).toEqual(['no-newline']);
  });

  it('readCriLog follows a running container\'s log as containerd appends to it', async () => {
    const id = await container('ticker', ['sh', '-c', 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done']);
    const path = JSON.parse(await cri('inspect', id)).status.logPath as string;
    const ac = new AbortController();
    const got: string[] = [];
    const timer = setTimeout(() => ac.abort(), 15_000);
    for await (const l of readCriLog(path, { follow: true, signal: ac.signal })) {
      got.push(l.line.toString());
      if (got.length === 4) ac.abort();
    }
    clearTimeout(timer);
    expect(got).toEqual(['tick 0', 'tick 1', 'tick 2', 'tick 3']);
  });
});
