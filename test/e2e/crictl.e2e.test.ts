/**
 * The real crictl (cri-tools v1.26.1) and `tinykube crictl` against real CRI endpoints:
 *  - a Docker node: an agent (Docker) serving <data-dir>/cri.sock; what crictl shows of the pod
 *    kubectl created matches kubectl (name, namespace, uid, container names, pod IP, logs, exec),
 *    port-forward reaches the pod, and tinykube crictl (by the node's data dir) prints the same;
 *  - containerd's own CRI (a private containerd): pods made with the real crictl, shown the same by
 *    both crictls.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, freePort, TestControlPlane } from '../helpers/control-plane.js';
import { crictlBinary } from '../helpers/cri-tools.js';
import { eventually } from '../helpers/eventually.js';
import { startPrivateContainerd } from '../helpers/private-containerd.js';
import type { PrivateContainerd } from '../helpers/private-containerd.js';
import { TestAgent } from '../helpers/test-agent.js';

interface Run { code: number; stdout: string; stderr: string }

function sh(bin: string, args: readonly string[]): Promise<Run> {
  return new Promise((res) => {
    execFile(bin, args, { timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      res({ code, stdout, stderr });
    });
  });
}

const REAL = crictlBinary() ?? '/var/lib/tinykube-test/bin/crictl';
/** The real crictl on a socket. */
const real = (sock: string, ...args: string[]) => sh(REAL, ['-r', `unix://${sock}`, '-t', '20s', ...args]);
/** tinykube crictl with these global flags. */
const ours = (global: string[], ...args: string[]) => sh(process.execPath, [CLI, 'crictl', '-t', '20s', ...global, ...args]);

async function ok(r: Promise<Run>): Promise<string> {
  const x = await r;
  if (x.code !== 0) throw new Error(`exit ${x.code}: ${x.stderr}${x.stdout}`);
  return x.stdout;
}

/** Table rows split into cells (two or more spaces apart), the relative CREATED column dropped. */
function cells(table: string, createdColumn: number): string[][] {
  return table.trimEnd().split('\n').map((l) => l.split(/\s{2,}/).filter((_, i) => i !== createdColumn));
}

/**
 * A CRI time as nanoseconds: an RFC3339Nano string or a decimal int64. The contract carries times as
 * JS numbers (256 ns apart at today's epoch), so tinykube crictl's may differ from crictl's below 1 µs.
 */
function ns(v: unknown): bigint {
  const s = String(v);
  if (/^\d+$/.test(s)) return BigInt(s);
  const m = /^(.*?)(?:\.(\d+))?Z$/.exec(s);
  if (m === null) throw new Error(`not a time: ${s}`);
  return BigInt(Date.parse(`${m[1]!}Z`)) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

function expectNear(a: unknown, b: unknown): void {
  const d = ns(a) - ns(b);
  expect(d > -1000n && d < 1000n, `${String(a)} vs ${String(b)}`).toBe(true);
}

/** GET http://127.0.0.1:port/ through a port-forward that may need a moment. */
function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

/** Runs `crictl port-forward` (argv after the binary) until stop(); resolves the GET answer. */
async function throughPortForward(bin: string, argv: string[], localPort: number): Promise<string> {
  const child = spawn(bin, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  try {
    await eventually(() => expect(out).toContain(`127.0.0.1:${localPort} -> 80`), { timeoutMs: 15_000, intervalMs: 50 });
    return await eventually(() => httpGet(localPort), { timeoutMs: 15_000, intervalMs: 200 });
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => { if (child.exitCode !== null) r(undefined); else child.once('exit', r); });
  }
}

/** What both crictls must agree on for one pod with a `talk` container (stderr included) and a web container on :80. */
async function compareCrictls(sock: string, global: string[], podId: string, talkId: string): Promise<void> {
  expect(await ok(ours(global, 'pods', '-q'))).toBe(await ok(real(sock, 'pods', '-q')));
  expect(cells(await ok(ours(global, 'pods')), 1)).toEqual(cells(await ok(real(sock, 'pods')), 1));
  expect(cells(await ok(ours(global, 'ps', '-a')), 2)).toEqual(cells(await ok(real(sock, 'ps', '-a')), 2));
  expect(cells(await ok(ours(global, 'ps', '--pod', podId, '--name', 'talk')), 2))
    .toEqual(cells(await ok(real(sock, 'ps', '--pod', podId, '--name', 'talk')), 2));
  // tinykube crictl resolves an ID prefix itself (containerd also does in its filters)
  expect(cells(await ok(ours(global, 'ps', '--pod', podId.slice(0, 9), '--name', 'talk')), 2)).toEqual(cells(await ok(real(sock, 'ps', '--pod', podId, '--name', 'talk')), 2));
  type Listed = { items: Array<Record<string, unknown>> };
  const [pj, rpj] = [JSON.parse(await ok(ours(global, 'pods', '-o', 'json'))) as Listed, JSON.parse(await ok(real(sock, 'pods', '-o', 'json'))) as Listed];
  expect(pj.items.map(({ createdAt: _, ...rest }) => rest)).toEqual(rpj.items.map(({ createdAt: _, ...rest }) => rest));
  pj.items.forEach((p, i) => expectNear(p.createdAt, rpj.items[i]!.createdAt));
  // the same rows; their order matches exactly only up to 12 images (crictl's Less is not transitive, see images.ts)
  const [imgs, rimgs] = [(await ok(ours(global, 'images'))).split('\n'), (await ok(real(sock, 'images'))).split('\n')];
  expect(imgs[0]).toBe(rimgs[0]);
  expect([...imgs].sort()).toEqual([...rimgs].sort());
  if (rimgs.length <= 14) expect(imgs).toEqual(rimgs);

  type Inspected = { status: Record<string, unknown> & { network?: { ip: string } }; info?: unknown };
  const pick = (s: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, s[k]]));
  const ip = JSON.parse(await ok(ours(global, 'inspectp', podId))) as Inspected;
  const rip = JSON.parse(await ok(real(sock, 'inspectp', podId))) as Inspected;
  const podKeys = ['id', 'metadata', 'state', 'labels', 'annotations'];
  expect(pick(ip.status, podKeys)).toEqual(pick(rip.status, podKeys));
  expectNear(ip.status.createdAt, rip.status.createdAt);
  expect(ip.status.network?.ip).toBe(rip.status.network?.ip);
  expect(ip.info).toEqual(rip.info);
  const ic = JSON.parse(await ok(ours(global, 'inspect', talkId))) as Inspected;
  const ric = JSON.parse(await ok(real(sock, 'inspect', talkId))) as Inspected;
  const ctrKeys = ['id', 'metadata', 'state', 'finishedAt', 'exitCode', 'imageRef', 'logPath', 'labels', 'annotations'];
  expect(pick(ic.status, ctrKeys)).toEqual(pick(ric.status, ctrKeys));
  expectNear(ic.status.createdAt, ric.status.createdAt);
  expectNear(ic.status.startedAt, ric.status.startedAt);
  expect(ic.info).toEqual(ric.info);

  const [logs, rlogs] = [await ours(global, 'logs', talkId), await real(sock, 'logs', talkId)];
  expect([logs.code, logs.stdout, logs.stderr]).toEqual([0, rlogs.stdout, rlogs.stderr]);
  expect(await ours(global, 'logs', '--tail', '1', talkId)).toMatchObject({ stdout: (await real(sock, 'logs', '--tail', '1', talkId)).stdout });
  // crictl exits 1 and logs "command terminated with exit code 3"; tinykube crictl exits with the command's code
  const [ex, rex] = [await ours(global, 'exec', talkId, 'sh', '-c', 'echo out; echo err >&2; exit 3'), await real(sock, 'exec', talkId, 'sh', '-c', 'echo out; echo err >&2; exit 3')];
  expect([ex.code, ex.stdout, ex.stderr]).toEqual([3, rex.stdout, 'err\n']);
  expect([rex.code, rex.stderr]).toEqual([1, expect.stringMatching(/^err\n.*command terminated with exit code 3/)]);
  expect(await ours(global, 'exec', '-s', talkId, 'hostname')).toEqual(await real(sock, 'exec', '-s', talkId, 'hostname'));

  const statsIds = (t: string) => cells(t, -1).slice(1).map((r) => r.slice(0, 2)).sort();
  expect(statsIds(await ok(ours(global, 'stats')))).toEqual(statsIds(await ok(real(sock, 'stats')).then((t) => t.replace(/^\x1b\[2J\x1b\[H/, ''))));
  expect(statsIds(await ok(ours(global, 'stats')))).toContainEqual([talkId.slice(0, 13), 'talk']);

  const port = await freePort();
  expect(await throughPortForward(process.execPath, [CLI, 'crictl', ...global, 'port-forward', podId, `${port}:80`], port)).toContain('tinykube web');
}

/**
 * A pod made with kubectl on the node whose CRI socket is `sock`: the real crictl shows what kubectl
 * shows (name, namespace, uid, containers, pod IP, logs, exec), port-forward reaches it, and
 * tinykube crictl (with `global`) prints the same as the real crictl.
 */
async function kubectlVsCrictl(cp: TestControlPlane, sock: string, global: string[]): Promise<void> {
  await cp.k('apply', '-f', cp.manifest('talker.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: talker}\nspec:\n  containers:\n'
    + '  - {name: talk, image: "tinykube/busybox:1", command: [sh, -c, "echo hello from talker; echo line two; echo to-stderr >&2; sleep 3600"]}\n'
    + '  - {name: web, image: "tinykube/web:1", ports: [{containerPort: 80}]}\n'));
  await eventually(async () => {
    expect(await cp.k('get', 'pod', 'talker', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')).toBe('True');
  }, { timeoutMs: 60_000, intervalMs: 200 });
  const kpod = JSON.parse(await cp.k('get', 'pod', 'talker', '-o', 'json')) as
    { metadata: { uid: string; namespace: string }; spec: { containers: Array<{ name: string }> }; status: { podIP: string } };

  const pods = JSON.parse(await ok(real(sock, 'pods', '--name', '^talker$', '--state', 'ready', '-o', 'json'))) as
    { items: Array<{ id: string; metadata: { name: string; namespace: string; uid: string } }> };
  expect(pods.items).toHaveLength(1);
  const podId = pods.items[0]!.id;
  expect(pods.items[0]!.metadata).toMatchObject({ name: 'talker', namespace: kpod.metadata.namespace, uid: kpod.metadata.uid });
  expect(await ok(real(sock, 'pods'))).toMatch(/^POD ID\s+CREATED\s+STATE\s+NAME\s+NAMESPACE\s+ATTEMPT\s+RUNTIME\n[0-9a-f]{13}\s+.+ ago\s+Ready\s+talker\s+default\s+0\s+\(default\)\n/);

  const ps = JSON.parse(await ok(real(sock, 'ps', '--pod', podId, '-o', 'json'))) as { containers: Array<{ id: string; metadata: { name: string }; state: string }> };
  expect(ps.containers.map((c) => c.metadata.name).sort()).toEqual(kpod.spec.containers.map((c) => c.name).sort());
  expect(ps.containers.every((c) => c.state === 'CONTAINER_RUNNING')).toBe(true);
  const talkId = ps.containers.find((c) => c.metadata.name === 'talk')!.id;
  expect(await ok(real(sock, 'ps', '--pod', podId))).toMatch(/^CONTAINER\s+IMAGE\s+CREATED\s+STATE\s+NAME\s+ATTEMPT\s+POD ID\s+POD\n/);

  const inspectp = JSON.parse(await ok(real(sock, 'inspectp', podId))) as { status: { network: { ip: string }; state: string } };
  expect(inspectp.status).toMatchObject({ state: 'SANDBOX_READY', network: { ip: kpod.status.podIP } });
  const inspect = JSON.parse(await ok(real(sock, 'inspect', talkId))) as { status: { state: string; podSandboxId?: string; metadata: { name: string } } };
  expect(inspect.status).toMatchObject({ state: 'CONTAINER_RUNNING', metadata: { name: 'talk' } });

  const logs = await real(sock, 'logs', talkId);
  expect(logs.stdout).toBe(await cp.k('logs', 'talker', '-c', 'talk').then((l) => l.replace('to-stderr\n', '')));
  expect(logs.stderr).toBe('to-stderr\n');
  const execCmd = ['sh', '-c', 'echo hi; hostname'];
  expect(await ok(real(sock, 'exec', talkId, ...execCmd))).toBe(await cp.k('exec', 'talker', '-c', 'talk', '--', ...execCmd));
  expect(await ok(real(sock, 'exec', '-s', talkId, 'hostname'))).toBe('talker\n\n\n'); // crictl 1.26 prints stdout and stderr with a newline each

  expect(await ok(real(sock, 'images'))).toMatch(/\n(docker\.io\/)?tinykube\/busybox\s+1\s+[0-9a-f]{13}\s+\S+B\n/);
  expect(await ok(real(sock, 'stats'))).toMatch(new RegExp(`\\n${talkId.slice(0, 13)}\\s+talk\\s+\\d+\\.\\d\\d\\s+\\S+B\\s+\\S+B\\s+\\d+\\n`));
  const port = await freePort();
  const page = await throughPortForward(REAL, ['-r', `unix://${sock}`, 'port-forward', podId, `${port}:80`], port);
  expect(page).toContain(`pod=talker ip=${kpod.status.podIP}`);

  await compareCrictls(sock, global, podId, talkId);
}

describe('crictl on a Docker node: the agent\'s cri.sock', () => {
  const cp = new TestControlPlane({ extraArgs: ['--cluster-cidr', '10.249.0.0/16'] });
  let agent: TestAgent;
  let sock: string;
  beforeAll(async () => {
    await cp.start();
    agent = new TestAgent(cp);
    await agent.start();
    sock = join(agent.dataDir, 'cri.sock');
    await eventually(() => expect(existsSync(sock)).toBe(true), { timeoutMs: 20_000, intervalMs: 100 });
  }, 120_000);
  afterAll(async () => {
    await agent?.destroy();
    await cp.destroy();
  });

  it('the real crictl shows what kubectl shows, and tinykube crictl (by --data-dir) the same as the real one', async () => {
    await kubectlVsCrictl(cp, sock, ['--data-dir', agent.dataDir]);
  }, 240_000);
});

describe('crictl on a containerd node: containerd\'s socket', () => {
  const cp = new TestControlPlane({ extraArgs: ['--cluster-cidr', '10.247.0.0/16'] });
  let ctd: PrivateContainerd;
  let agent: TestAgent;
  beforeAll(async () => {
    ctd = await startPrivateContainerd({ name: `crictl-node-${process.pid}` });
    await cp.start();
    agent = new TestAgent(cp, { extraArgs: ['--runtime-endpoint', ctd.endpoint] });
    await agent.start();
  }, 120_000);
  afterAll(async () => {
    await agent?.destroy();
    await ctd?.stop();
    await cp.destroy();
  });

  it('the real crictl shows what kubectl shows, and tinykube crictl (-r containerd://…) the same as the real one', async () => {
    await kubectlVsCrictl(cp, ctd.address, ['-r', ctd.endpoint]);
  }, 240_000);
});

describe('crictl on containerd\'s own CRI', () => {
  let ctd: PrivateContainerd;
  const dir = mkdtempSync(join(tmpdir(), 'tk-crictl-ctd-'));
  beforeAll(async () => {
    ctd = await startPrivateContainerd({ name: `crictl-e2e-${process.pid}`, podCidr: '10.251.77.0/24' });
  }, 60_000);
  afterAll(async () => {
    await ctd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pods the real crictl made are shown the same by tinykube crictl (-r containerd://…)', async () => {
    const file = (name: string, v: unknown) => { const f = join(dir, name); writeFileSync(f, JSON.stringify(v)); return f; };
    const pod = file('pod.json', { metadata: { name: 'talker', namespace: 'crictl-e2e', uid: 'uid-talker-1', attempt: 0 }, hostname: 'talker',
      log_directory: join(dir, 'logs'), labels: { app: 'talker' }, linux: {} });
    const talk = file('talk.json', { metadata: { name: 'talk' }, image: { image: 'docker.io/tinykube/busybox:1' }, log_path: 'talk.log', linux: {},
      command: ['sh', '-c', 'echo hello from talker; echo line two; echo to-stderr >&2; sleep 3600'], labels: { 'io.kubernetes.pod.name': 'talker' } });
    const web = file('web.json', { metadata: { name: 'web' }, image: { image: 'docker.io/tinykube/web:1' }, log_path: 'web.log', linux: {} });
    const sock = ctd.address;
    const podId = (await ok(real(sock, 'runp', pod))).trim();
    const talkId = (await ok(real(sock, 'create', podId, talk, pod))).trim();
    const webId = (await ok(real(sock, 'create', podId, web, pod))).trim();
    await ok(real(sock, 'start', talkId));
    await ok(real(sock, 'start', webId));
    await eventually(async () => expect(await ok(real(sock, 'logs', talkId))).toContain('line two'), { timeoutMs: 10_000, intervalMs: 100 });

    await compareCrictls(sock, ['-r', ctd.endpoint], podId, talkId);
    expect(await ok(ours(['-r', ctd.endpoint], 'version'))).toMatch(/^Version:  0\.1\.0\nRuntimeName:  containerd\nRuntimeVersion:  \S+\nRuntimeApiVersion:  v1\n$/);
    const info = JSON.parse(await ok(ours(['-r', ctd.endpoint], 'info'))) as { status: { conditions: Array<{ type: string; status: boolean }> }; lastCNILoadStatus?: string };
    expect(info.status.conditions.map((c) => [c.type, c.status])).toEqual([['RuntimeReady', true], ['NetworkReady', true]]);
    expect(info.lastCNILoadStatus).toBe('OK');

    expect(await ours(['-r', ctd.endpoint], 'stopp', podId)).toMatchObject({ code: 0, stdout: `Stopped sandbox ${podId}\n` });
    expect(await ours(['-r', ctd.endpoint], 'rmp', podId)).toMatchObject({ code: 0, stdout: `Removed sandbox ${podId}\n` });
    expect(await ok(real(sock, 'pods', '-q'))).toBe('');
  }, 180_000);
});
