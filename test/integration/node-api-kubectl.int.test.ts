/**
 * The real kubectl through the API server's node proxy to the node API, over a FakeRuntime
 * (no Docker): logs, logs -f, exec over WebSocket v5 and over the SPDY fallback, stdin, exit codes,
 * attach, port-forward over SPDY/3.1, and the refusals.
 */
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startStreamingCluster } from './node-api-kubectl.fixture.js';
import type { KubectlRun, StreamingCluster } from './node-api-kubectl.fixture.js';
import { freePort } from '../helpers/control-plane.js';

const kubectlAvailable = ((): boolean => {
  try { execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' }); return true; } catch { return false; }
})();
if (!kubectlAvailable) console.log('node-api-kubectl: skipped, no kubectl on PATH');

const show = (what: string, r: KubectlRun) => console.log(`$ ${what}\n  exit=${r.code}\n  stdout=${JSON.stringify(r.stdout)}\n  stderr=${JSON.stringify(r.stderr)}`);

describe.skipIf(!kubectlAvailable)('kubectl against the node API through the API server', () => {
  let c: StreamingCluster;
  beforeAll(async () => { c = await startStreamingCluster(); }, 30_000);
  afterAll(async () => { await c?.close(); });

  it('kubectl logs prints the container log', async () => {
    const r = await c.kubectl(['logs', 'p']);
    show('kubectl logs p', r);
    expect(r).toMatchObject({ code: 0, stdout: 'line one\nline two\n' });
  });

  it.each([
    ['binary.k8s.io', (d: Buffer) => d.toString('utf8')],
    ['base64.binary.k8s.io', (d: Buffer) => Buffer.from(d.toString('utf8'), 'base64').toString('utf8')],
  ])('pods/log over a WebSocket (%s), as the conformance suite reads it', async (protocol, decode) => {
    const ws = new WebSocket(`${c.api.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/p/log?container=app`, [protocol],
      { headers: { Authorization: `Bearer ${c.api.token}` }, ca: c.api.caCertPem });
    let text = '';
    ws.on('message', (d: Buffer) => { text += decode(d); });
    const code = await new Promise<number>((resolve, reject) => { ws.once('close', resolve); ws.once('error', reject); });
    expect([ws.protocol, code, text]).toEqual([protocol, 1000, 'line one\nline two\n']);
  });

  it('pods/log over a WebSocket: a missing container is the kubelet\'s error, not a handshake', async () => {
    const ws = new WebSocket(`${c.api.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/p/log?container=nope`, ['binary.k8s.io'],
      { headers: { Authorization: `Bearer ${c.api.token}` }, ca: c.api.caCertPem });
    const status = await new Promise<number>((resolve) => { ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)); ws.once('error', () => resolve(-1)); });
    expect(status).toBeGreaterThanOrEqual(400);
  });

  it('kubectl logs --timestamps --tail=1 prefixes the RFC3339Nano time', async () => {
    const r = await c.kubectl(['logs', 'p', '--timestamps', '--tail=1']);
    show('kubectl logs p --timestamps --tail=1', r);
    expect(r).toMatchObject({ code: 0, stdout: '2024-05-01T10:00:01.000000001Z line two\n' });
  });

  it('kubectl logs -f streams and stays open', async () => {
    const child = c.spawnKubectl(['logs', '-f', 'p']);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
    const printed = (text: string) => new Promise<void>((resolve) => {
      const check = () => { if (out.includes(text)) { child.stdout?.off('data', check); resolve(); } };
      child.stdout?.on('data', check);
      check();
    });
    await printed('line two');
    // still following: a line the container writes now arrives on the same stream
    const [app] = c.runtime.containersOf('p', 'app');
    c.runtime.log(app!.id, 'line three');
    await printed('line three');
    console.log(`$ kubectl logs -f p (killed after the lines)\n  stdout=${JSON.stringify(out)} still running=${child.exitCode === null}`);
    expect(child.exitCode).toBeNull();
    child.kill('SIGTERM');
    expect(out).toBe('line one\nline two\nline three\n');
  });

  it('kubectl exec -- echo hi (WebSocket v5)', async () => {
    const r = await c.kubectl(['exec', 'p', '--', 'echo', 'hi']);
    show('kubectl exec p -- echo hi', r);
    expect(r).toMatchObject({ code: 0, stdout: 'hi\n' });
  });

  it('kubectl exec -i copies stdin until EOF', async () => {
    const r = await c.kubectl(['exec', '-i', 'p', '--', 'cat'], { input: 'x\n' });
    show('echo x | kubectl exec -i p -- cat', r);
    expect(r).toMatchObject({ code: 0, stdout: 'x\n' });
  });

  it('a non-zero exit code propagates', async () => {
    const r = await c.kubectl(['exec', 'p', '--', 'exit', '3']);
    show('kubectl exec p -- exit 3', r);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('command terminated with exit code 3');
  });

  it.each([
    ['echo', ['exec', 'p', '--', 'echo', 'over', 'spdy'], undefined, 0, 'over spdy\n'],
    ['stdin', ['exec', '-i', 'p', '--', 'cat'], 'y\n', 0, 'y\n'],
    ['exit code', ['exec', 'p', '--', 'exit', '4'], undefined, 4, ''],
  ] as const)('exec over the SPDY fallback: %s', async (_name, args, input, code, stdout) => {
    const r = await c.kubectl([...args], { input, env: { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' } });
    show(`KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false kubectl ${args.join(' ')}`, r);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe(stdout);
    if (code !== 0) expect(r.stderr).toContain(`command terminated with exit code ${code}`);
  });

  it('kubectl attach -i prints the output of the main process (the fake runtime\'s is a cat)', async () => {
    const r = await c.kubectl(['attach', '-i', 'p', '-c', 'app'], { input: 'attached\n' });
    show('echo attached | kubectl attach -i p -c app', r);
    expect(r.stdout).toContain('attached');
  });

  it('kubectl port-forward carries a TCP round trip', async () => {
    const local = await freePort();
    const child = c.spawnKubectl(['port-forward', 'pod/p', `${local}:80`]);
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('Forwarding from 127.0.0.1')) resolve(); });
      child.once('exit', () => reject(new Error(`kubectl port-forward exited: ${err}`)));
    });
    const reply = await new Promise<string>((resolve, reject) => {
      const s = connect(local, '127.0.0.1', () => s.write('ping through the tunnel\n'));
      let got = '';
      s.on('data', (d: Buffer) => { got += d.toString(); if (got.endsWith('\n')) { s.end(); resolve(got); } });
      s.on('error', reject);
    });
    child.kill('SIGTERM');
    console.log(`$ kubectl port-forward pod/p ${local}:80\n  stdout=${JSON.stringify(out)}\n  stderr=${JSON.stringify(err)}\n  echo reply=${JSON.stringify(reply)}`);
    expect(reply).toBe('ping through the tunnel\n');
    expect(c.runtime.forwardedPorts).toContain(80);
  });

  it.each([
    ['a pod without a node', ['logs', 'pending'], 'pod pending does not have a host assigned'],
    ['an unknown container', ['logs', 'p', '-c', 'nope'], 'container nope is not valid for pod p'],
    ['a container the node does not have', ['exec', 'missing', '--', 'echo'], 'container not found'],
    ['a completed pod (kubectl checks first)', ['exec', 'done', '--', 'echo'], 'cannot exec into a container in a completed pod; current phase is Succeeded'],
  ])('refuses %s', async (_name, args, message) => {
    const r = await c.kubectl(args);
    show(`kubectl ${args.join(' ')}`, r);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
  });
});
