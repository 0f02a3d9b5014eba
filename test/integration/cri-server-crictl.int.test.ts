/**
 * The CRI server over the real DockerRuntime, driven by the REAL crictl v1.26.1 on its socket:
 * a pod made through the server itself (runp, create, start from JSON config files), then
 * version, info, pods, ps, inspectp, inspect, logs, exec -s, exec and attach (SPDY through the
 * streaming server), port-forward, stats, statsp, images, and stop/remove. One sandbox on the fixture's unique
 * bridge and subnet; everything is removed in afterAll.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { lstat, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCriServer } from '../../agent/cri-server/cri-server.js';
import type { CriServer } from '../../agent/cri-server/cri-server.js';
import { silentLogger } from '../../control/util/log.js';
import type { DockerRuntime } from '../../cri/docker/docker-runtime.js';
import { crictlBinary } from '../helpers/cri-tools.js';
import { eventually } from '../helpers/eventually.js';
import { cleanupFixture, createFixture, dockerSkipReason, INDEX_HTML, runtimeFor, type Fixture } from './docker-runtime.fixture.js';

const CRICTL = crictlBinary();
const skipReason = await dockerSkipReason() ?? (CRICTL === undefined ? 'crictl is not available (../shared/tools/cri-tools)' : undefined);
if (skipReason !== undefined) console.warn(`cri-server-crictl.int.test.ts skipped: ${skipReason}`);

const freePort = () => new Promise<number>((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address() as AddressInfo; s.close(() => resolve(port)); });
});
const httpGet = (url: string) => new Promise<string>((resolve, reject) => {
  get(url, (res) => { let b = ''; res.on('data', (d: Buffer) => { b += d.toString(); }); res.on('end', () => resolve(b)); }).on('error', reject);
});

describe.skipIf(skipReason !== undefined)('CRI server on Docker, through the real crictl', () => {
  let fx: Fixture;
  let rt: DockerRuntime;
  let server: CriServer;
  let sock = '';
  let podId = '';
  let ctrId = '';
  const children: ChildProcess[] = [];

  const crictl = (...args: string[]) => new Promise<string>((resolve, reject) => {
    execFile(CRICTL ?? 'crictl', ['-r', `unix://${sock}`, '-t', '30s', ...args], { encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`crictl ${args.join(' ')}: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });

  beforeAll(async () => {
    fx = await createFixture();
    rt = runtimeFor(fx);
    sock = join(fx.dir, 'cri.sock');
    server = await startCriServer({ socketPath: sock, runtime: rt, log: silentLogger() });
    const pod = {
      metadata: { name: 'crictl-web', namespace: 'default', uid: `${fx.id}-crictl-web`, attempt: 0 },
      hostname: 'crictl-web', log_directory: join(fx.dir, 'logs', 'crictl-web'), labels: { 'tk-test': fx.id }, linux: {},
    };
    const ctr = {
      metadata: { name: 'web', attempt: 0 }, image: { image: fx.appImage }, log_path: 'web/0.log', labels: { 'tk-test': fx.id }, linux: {},
      command: ['sh', '-c', 'echo hello-from-crictl; exec httpd -f -p 80 -h /www'],
    };
    await writeFile(join(fx.dir, 'pod.json'), JSON.stringify(pod));
    await writeFile(join(fx.dir, 'ctr.json'), JSON.stringify(ctr));
    podId = (await crictl('runp', join(fx.dir, 'pod.json'))).trim();
    ctrId = (await crictl('create', podId, join(fx.dir, 'ctr.json'), join(fx.dir, 'pod.json'))).trim();
    await crictl('start', ctrId);
  }, 120_000);

  afterAll(async () => {
    for (const c of children) c.kill();
    await server?.close();
    if (fx === undefined) return;
    if (podId !== '') await rt.removePodSandbox(podId).catch(() => undefined);
    const problems = await cleanupFixture(fx);
    if (problems.length > 0) console.warn(`cleanup problems: ${problems.join('; ')}`);
  }, 60_000);

  it('serves a root-only socket', async () => {
    expect((await lstat(sock)).mode & 0o777).toBe(0o600);
  });

  it('version: docker, dockerd\'s version, API v1', async () => {
    const out = await crictl('version');
    expect(out).toMatch(/RuntimeName:\s+docker/);
    expect(out).toMatch(/RuntimeApiVersion:\s+v1/);
    const dockerd = await new Promise<string>((resolve, reject) => {
      execFile('docker', ['version', '--format', '{{.Server.Version}}'], (err, o) => (err ? reject(err) : resolve(o.trim())));
    });
    expect(out).toContain(`RuntimeVersion:  ${dockerd}`);
  });

  it('info: RuntimeReady and NetworkReady', async () => {
    const info = JSON.parse(await crictl('info')) as { status: { conditions: { type: string; status: boolean }[] } };
    expect(info.status.conditions).toEqual(expect.arrayContaining([
      expect.objectContaining({ type: 'RuntimeReady', status: true }), expect.objectContaining({ type: 'NetworkReady', status: true }),
    ]));
  });

  it('pods and ps list what was made through the socket', async () => {
    const pods = await crictl('pods', '--label', `tk-test=${fx.id}`);
    expect(pods).toContain('crictl-web');
    expect(pods).toContain(podId.slice(0, 13));
    expect(pods).toMatch(/Ready/);
    const ps = await crictl('ps', '--pod', podId);
    expect(ps).toContain(ctrId.slice(0, 13));
    expect(ps).toMatch(/Running\s+web/);
    expect((await crictl('ps', '-q', '--label', `tk-test=${fx.id}`)).trim()).toBe(ctrId);
  });

  it('inspectp and inspect show the pod\'s IP and the container\'s state', async () => {
    const p = JSON.parse(await crictl('inspectp', podId)) as { status: { id: string; state: string; network: { ip: string }; metadata: { name: string } } };
    expect(p.status).toMatchObject({ id: podId, state: 'SANDBOX_READY', metadata: { name: 'crictl-web' } });
    expect(p.status.network.ip.startsWith(fx.prefix)).toBe(true);
    const c = JSON.parse(await crictl('inspect', ctrId)) as { status: { id: string; state: string; image: { image: string }; logPath: string } };
    expect(c.status).toMatchObject({ id: ctrId, state: 'CONTAINER_RUNNING', image: { image: fx.appImage } });
    expect(c.status.logPath).toBe(join(fx.dir, 'logs', 'crictl-web', 'web', '0.log'));
  });

  it('logs reads the container\'s log', async () => {
    await eventually(async () => { expect(await crictl('logs', ctrId)).toContain('hello-from-crictl'); }, { timeoutMs: 10_000 });
  });

  it('exec -s runs in the container (ExecSync); exec streams through the streaming server (SPDY)', async () => {
    expect((await crictl('exec', '-s', ctrId, 'hostname')).trim()).toBe('crictl-web');
    expect(await crictl('exec', ctrId, 'sh', '-c', 'echo streamed; echo to-stderr >&2')).toBe('streamed\n');
    await expect(crictl('exec', '-s', ctrId, 'sh', '-c', 'exit 3')).rejects.toThrow(/exited with 3/);
  });

  it('port-forward reaches the pod\'s port through the streaming server', async () => {
    const port = await freePort();
    const child = spawn(CRICTL ?? 'crictl', ['-r', `unix://${sock}`, 'port-forward', podId, `${port}:80`], { stdio: 'ignore' });
    children.push(child);
    await eventually(async () => { expect(await httpGet(`http://127.0.0.1:${port}/`)).toBe(INDEX_HTML); }, { timeoutMs: 15_000, intervalMs: 200 });
  });

  it('attach streams a running container\'s output through the streaming server (SPDY)', async () => {
    const ticker = {
      metadata: { name: 'ticker', attempt: 0 }, image: { image: fx.appImage }, log_path: 'ticker/0.log', linux: {},
      command: ['sh', '-c', 'i=0; while :; do echo tick-$i; i=$((i+1)); sleep 1; done'],
    };
    await writeFile(join(fx.dir, 'ticker.json'), JSON.stringify(ticker));
    const id = (await crictl('create', podId, join(fx.dir, 'ticker.json'), join(fx.dir, 'pod.json'))).trim();
    await crictl('start', id);
    const child = spawn(CRICTL ?? 'crictl', ['-r', `unix://${sock}`, 'attach', id], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
    await eventually(() => { expect(out).toMatch(/tick-\d+\n/); }, { timeoutMs: 15_000, intervalMs: 200 });
    child.kill();
  });

  it('stats and statsp measure the running container and its pod', async () => {
    const out = await crictl('stats', '-o', 'json', '--id', ctrId);
    const stats = JSON.parse(out) as { stats: { attributes: { id: string }; memory: { workingSetBytes: { value: string } } }[] };
    expect(stats.stats.map((s) => s.attributes.id)).toEqual([ctrId]);
    expect(Number(stats.stats[0]?.memory.workingSetBytes.value)).toBeGreaterThan(0);
    const pods = JSON.parse(await crictl('statsp', '-o', 'json', '--id', podId)) as {
      stats: { attributes: { id: string }; linux: { memory: { workingSetBytes: { value: string } }; containers: unknown[] } }[];
    };
    expect(pods.stats.map((s) => s.attributes.id)).toEqual([podId]);
    expect(Number(pods.stats[0]?.linux.memory.workingSetBytes.value)).toBeGreaterThan(0);
  });

  it('images lists the image the container runs', async () => {
    const repo = fx.appImage.split(':')[0] ?? '';
    expect(await crictl('images')).toMatch(new RegExp(`${repo.replace('/', '\\/')}\\s+1\\s`));
    expect(JSON.parse(await crictl('inspecti', fx.appImage))).toMatchObject({ status: { repoTags: expect.arrayContaining([fx.appImage]) } });
  });

  it('stop and remove the container and the pod', async () => {
    await crictl('stop', ctrId);
    await crictl('rm', ctrId);
    await crictl('stopp', podId);
    await crictl('rmp', podId);
    expect((await crictl('pods', '-q', '--label', `tk-test=${fx.id}`)).trim()).toBe('');
    podId = '';
  });
});
