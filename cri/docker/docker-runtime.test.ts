import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CniInvocation } from '../cni/types.js';
import { DockerRuntime } from './docker-runtime.js';
import { DockerEngine } from './engine/client.js';
import { FakeEngineServer, frame, sendJson, UPGRADE_REPLY } from './engine/fake-engine-server.js';
import { SandboxStore } from './sandbox-store.js';

let fake: FakeEngineServer;
let docker: DockerEngine;
let rt: DockerRuntime;
beforeEach(async () => {
  fake = await FakeEngineServer.start();
  docker = new DockerEngine({ socketPath: fake.socketPath });
  rt = new DockerRuntime({ docker, cni: { conflist: { cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'bridge' }] } }, stateDir: fake.dir, scope: 'node-a' });
});
afterEach(async () => {
  docker.close();
  await fake.close();
});

describe('DockerRuntime on the Engine API client (fake dockerd)', () => {
  it('stop and remove are idempotent on 304 and 404', async () => {
    fake.on('POST /containers/c1/stop', (_r, res) => { res.writeHead(304); res.end(); });
    fake.on('DELETE /containers/c1', (_r, res) => sendJson(res, 404, { message: 'No such container: c1' }));
    await rt.stopContainer('c1', 5);
    await rt.removeContainer('c1');
    expect(fake.requests.map((r) => `${r.method} ${r.path}?${r.query.toString()}`))
      .toEqual(['POST /v1.41/containers/c1/stop?t=5', 'DELETE /v1.41/containers/c1?force=true&v=true']);
  });

  it('status of a missing container is NotFound', async () => {
    fake.on('GET /containers/c9/json', (_r, res) => sendJson(res, 404, { message: 'No such container: c9' }));
    await expect(rt.containerStatus('c9')).rejects.toMatchObject({ kind: 'NotFound' });
  });

  it('lists only its scope and type', async () => {
    fake.on('GET /containers/json', (_r, res) => sendJson(res, 200, []));
    await rt.listContainers({ podSandboxId: 'sb1' });
    const filters = JSON.parse(fake.requests[0]?.query.get('filters') ?? '{}') as { label: string[] };
    expect(filters.label).toEqual(expect.arrayContaining(['io.tinykube.runtime-scope=node-a', 'io.kubernetes.docker.type=container', 'io.kubernetes.sandbox.id=sb1']));
  });

  it('execSync collects demultiplexed output and polls for the exit code', async () => {
    let polls = 0;
    fake.on('POST /containers/c1/exec', (_r, res) => sendJson(res, 201, { Id: 'e1' }));
    fake.onUpgrade('POST /exec/e1/start', (_r, socket) => socket.end(Buffer.concat([Buffer.from(UPGRADE_REPLY), frame(1, 'out'), frame(2, 'err')])));
    fake.on('GET /exec/e1/json', (_r, res) => sendJson(res, 200, ++polls < 3 ? { Running: true, Pid: 1, ExitCode: null } : { Running: false, Pid: 0, ExitCode: 7 }));
    const r = await rt.execSync('c1', ['sh', '-c', 'x'], 5);
    expect({ stdout: r.stdout.toString(), stderr: r.stderr.toString(), exitCode: r.exitCode }).toEqual({ stdout: 'out', stderr: 'err', exitCode: 7 });
    expect(polls).toBe(3);
  });

  it('an in-stream pull error is a CriError with Docker\'s message', async () => {
    fake.on('POST /images/create', (_r, res) => { res.writeHead(200); res.end('{"error":"manifest for web:9 not found"}\n'); });
    await expect(rt.pullImage({ image: 'web:9' })).rejects.toMatchObject({ kind: 'Unknown', message: 'pull image web:9: manifest for web:9 not found' });
  });

  it('events end quietly on abort', async () => {
    fake.on('GET /events', (_r, res) => {
      res.writeHead(200);
      res.write(`${JSON.stringify({ Type: 'container', Action: 'start', Actor: { ID: 'c1', Attributes: {
        'io.tinykube.runtime-scope': 'node-a', 'io.kubernetes.docker.type': 'container', 'io.kubernetes.sandbox.id': 'sb1' } } })}\n`);
    });
    const ac = new AbortController();
    const seen = [];
    for await (const ev of rt.events(ac.signal)) { seen.push(ev); ac.abort(); }
    expect(seen).toEqual([{ containerId: 'c1', type: 'started', podSandboxId: 'sb1' }]);
  });

  it('updateRuntimeConfig renders the conflist template with the podCIDR; later CNI calls use it', async () => {
    const seen: CniInvocation[] = [];
    const exec = async (inv: CniInvocation): Promise<unknown> => { seen.push(inv); return undefined; };
    const placeholder = { cniVersion: '1.0.0', name: 'tinykube', plugins: [{ type: 'bridge' }] };
    const templated = new DockerRuntime({
      docker, cni: { conflist: placeholder, exec }, stateDir: fake.dir, scope: 'node-a',
      cniTemplate: { name: 'tinykube', bridge: 'tk0', dataDir: '/tmp/x', firewall: false },
    });
    await expect(templated.updateRuntimeConfig({ networkConfig: { podCidr: 'not-a-cidr' } })).rejects.toMatchObject({ kind: 'InvalidArgument' });
    await templated.updateRuntimeConfig({ networkConfig: { podCidr: '10.244.3.0/24' } });
    await templated.updateRuntimeConfig({});
    // stopping a sandbox whose network is up runs CNI DEL with the current conflist
    fake.on('GET /containers/json', (_r, res) => sendJson(res, 200, []));
    await new SandboxStore(fake.dir).put({ id: 'sb1', hostNetwork: false, networkReady: true });
    await templated.stopPodSandbox('sb1');
    const bridge = seen.find((i) => i.command === 'DEL' && i.conf['type'] === 'bridge');
    expect(bridge?.conf).toMatchObject({ bridge: 'tk0', ipam: { ranges: [[{ subnet: '10.244.3.0/24', gateway: '10.244.3.1' }]] } });
  });

  it('updateRuntimeConfig without a template accepts the podCIDR and keeps the conflist', async () => {
    await rt.updateRuntimeConfig({ networkConfig: { podCidr: '10.244.3.0/24' } });
    expect(fake.requests).toEqual([]);
  });
});
