/**
 * Issue 5 deliverable 4: `tinykube cluster up/down/list` with the compiled CLI (run `npx tsc -p
 * tsconfig.json` first) and the real kubectl. Two nodes in network namespaces on a LAN bridge in
 * its own netns, pods on Docker reachable from the host through the podCIDR routes, the control
 * plane listening only on the LAN address, and `cluster down` leaving the host as it found it.
 * A containerd up that fails half-way rolls its containerds back too (issue 12).
 * Skips itself without root, Docker, `ip`, the built CLI or the tinykube/web:1 image.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { clusterTraces } from '../helpers/cluster-leftovers.js';
import { CLI } from '../helpers/control-plane.js';
import type { Run } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';

const ok = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const skipReason =
  process.getuid?.() !== 0 ? 'needs root' :
    !existsSync(CLI) ? `needs the compiled CLI ${CLI} (npx tsc -p tsconfig.json)` :
      !ok('ip', ['-V']) ? 'needs iproute2' :
        !ok('docker', ['image', 'inspect', 'tinykube/web:1']) ? 'needs Docker and the tinykube/web:1 image (tinykube image build-test)' : '';
if (skipReason) console.warn(`cluster-rig e2e skipped: ${skipReason}`);

function run(cmd: string, args: readonly string[], timeoutMs = 150_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, [...args], { timeout: timeoutMs, maxBuffer: 32 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
const tinykube = (...args: string[]) => run(process.execPath, [CLI, ...args]);
const lines = async (cmd: string, args: string[]) => (await run(cmd, args, 20_000)).stdout.split('\n').map((l) => l.trim()).filter(Boolean);

/** Host state that `cluster up` may touch. */
async function snapshot(name: string): Promise<Record<string, string[]>> {
  const scopes = [1, 2].map((i) => `label=io.tinykube.runtime-scope=${name}-n${i}`);
  const chains = async (table: string) => (await lines('iptables-nft-save', ['-t', table])).filter((l) => /^:(TK|tk)/.test(l)).map((l) => l.split(' ')[0]!);
  return {
    netns: (await lines('ip', ['netns', 'list'])).map((l) => l.split(' ')[0]!),
    links: (await lines('ip', ['-o', 'link', 'show'])).map((l) => l.split(':')[1]!.trim().split('@')[0]!),
    routes: await lines('ip', ['-4', 'route', 'show', 'table', 'all']),
    rules: await lines('ip', ['rule', 'show']),
    natChains: await chains('nat'),
    filterChains: await chains('filter'),
    containers: [
      ...await lines('docker', ['ps', '-a', '--filter', scopes[0]!, '--format', '{{.Names}}']),
      ...await lines('docker', ['ps', '-a', '--filter', scopes[1]!, '--format', '{{.Names}}']),
    ],
  };
}

/** Only the entries that belong to this cluster (other tests may change the host meanwhile). */
function ours(s: Record<string, string[]>, name: string, k: number): Record<string, string[]> {
  const mine = new RegExp(`${name}|10\\.200\\.${k}\\.|10\\.${210 + k}\\.|10\\.${220 + k}\\.`);
  const filtered = new Set(['netns', 'links', 'routes', 'rules']); // chains and containers are compared whole
  return Object.fromEntries(Object.entries(s).map(([key, v]) => [key, filtered.has(key) ? v.filter((x) => mine.test(x)) : v]));
}

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get(url, { timeout: 3000 }, (res) => { let b = ''; res.on('data', (d: Buffer) => { b += d.toString(); }); res.on('end', () => resolve(b)); });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timeout`)));
    req.on('error', reject);
  });
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: { matchLabels: { app: web } }
            topologyKey: kubernetes.io/hostname
      containers:
      - { name: web, image: tinykube/web:1, ports: [{ containerPort: 80 }] }
`;

describe.skipIf(skipReason !== '')('tinykube cluster up/down: nodes in network namespaces', () => {
  const name = `tk${randomBytes(3).toString('hex')}`;
  const cache = mkdtempSync(join(tmpdir(), 'tk-rig-kube-'));
  let up = false;
  afterAll(async () => {
    if (up) await tinykube('cluster', 'down', '--name', name); // the test failed half-way: clean up anyway
    rmSync(cache, { recursive: true, force: true });
  });

  it('up: 2 Ready nodes, pods on both answer from the host, API only on the LAN address; down: host as before', async () => {
    const before = await snapshot(name);

    const r = await tinykube('cluster', 'up', '--name', name, '--nodes', '2');
    up = r.code === 0;
    expect(r.code, r.stderr).toBe(0);
    const kubeconfig = /export KUBECONFIG=(\S+)/.exec(r.stdout)?.[1];
    expect(kubeconfig).toBeDefined();
    const server = /server: https:\/\/([\d.]+):(\d+)/.exec(readFileSync(kubeconfig!, 'utf8'));
    expect(server?.[1]).toMatch(/^10\.200\.[1-9]\.1$/);
    const hostIP = server![1]!;
    const k = Number(hostIP.split('.')[2]);
    const kubectl = async (...args: string[]) => {
      const res = await run('kubectl', ['--kubeconfig', kubeconfig!, '--cache-dir', cache, ...args], 30_000);
      if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${res.stderr}`);
      return res.stdout;
    };
    const during = ours(await snapshot(name), name, k);
    expect(during.netns?.sort()).toEqual([`tk-${name}-lan`, `tk-${name}-n1`, `tk-${name}-n2`]);
    expect(during.links).toEqual([`tk${name}h`]);
    expect(during.routes).toEqual(expect.arrayContaining([`unreachable 10.${210 + k}.0.0/16`, `unreachable 10.${220 + k}.0.0/16`]));

    // nodes: Ready, InternalIPs on the cluster LAN
    const nodes = (await kubectl('get', 'nodes', '-o',
      'jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="Ready")].status} {.status.addresses[?(@.type=="InternalIP")].address}{"\\n"}{end}'))
      .split('\n').filter(Boolean).sort();
    expect(nodes).toEqual([`${name}-n1 True 10.200.${k}.11`, `${name}-n2 True 10.200.${k}.12`]);

    // the control plane listens on its LAN address only
    const state = JSON.parse(readFileSync(join(kubeconfig!, '..', 'cluster.json'), 'utf8')) as { serverPid: number };
    const listening = (await lines('ss', ['-Hltnp'])).filter((l) => l.includes(`pid=${state.serverPid},`)).map((l) => l.split(/\s+/)[3]);
    expect(listening).toEqual([`${hostIP}:${server![2]}`]);

    // two pods spread over both nodes, each answering HTTP from the host through the podCIDR routes
    await new Promise<void>((resolve, reject) => {
      const child = execFile('kubectl', ['--kubeconfig', kubeconfig!, '--cache-dir', cache, 'apply', '-f', '-'], { timeout: 30_000 },
        (err, _out, stderr) => (err ? reject(new Error(`kubectl apply: ${stderr}`)) : resolve()));
      child.stdin?.end(DEPLOYMENT);
    });
    const pods = await eventually(async () => {
      const out = (await kubectl('get', 'pods', '-l', 'app=web', '-o',
        'jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.status.phase} {.status.podIP}{"\\n"}{end}')).split('\n').filter(Boolean).map((l) => l.split(' '));
      expect(out.filter((p) => p[2] === 'Running' && p[3])).toHaveLength(2);
      return out;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    expect((await snapshot(name)).containers).toHaveLength(4); // 2 pods x (sandbox + app)
    expect(new Set(pods.map((p) => p[1]))).toEqual(new Set([`${name}-n1`, `${name}-n2`]));
    for (const [pod, , , ip] of pods) {
      expect(ip).toMatch(new RegExp(`^10\\.${210 + k}\\.\\d+\\.\\d+$`));
      expect(await httpGet(`http://${ip}/`)).toContain(`pod=${pod}`);
    }

    const list = await tinykube('cluster', 'list');
    expect(list.stdout).toMatch(new RegExp(`^${name}\\s+2\\s+running\\s+${kubeconfig}$`, 'm'));
    const again = await tinykube('cluster', 'up', '--name', name, '--nodes', '1');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`cluster "${name}" is already running`);

    const down = await tinykube('cluster', 'down', '--name', name);
    expect(down.code, down.stderr).toBe(0);
    up = false;
    expect((await tinykube('cluster', 'list')).stdout).not.toContain(name);
    const missing = await tinykube('cluster', 'down', '--name', name);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`cluster "${name}" not found`);
    expect(existsSync(kubeconfig!)).toBe(false);

    const after = await snapshot(name);
    expect(ours(after, name, k)).toEqual(ours(before, name, k));
  }, 180_000);

  it('a failed up rolls back everything it made and frees the name', async () => {
    const other = `tk${randomBytes(3).toString('hex')}`;
    const before = await snapshot(other);
    const squatter = `tk-${other}-n2`; // the second node's netns exists already: up must fail there
    expect((await run('ip', ['netns', 'add', squatter])).code).toBe(0);
    try {
      const r = await tinykube('cluster', 'up', '--name', other, '--nodes', '2');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('rolling back');
      expect(r.stderr).toContain(squatter);
      expect((await tinykube('cluster', 'list')).stdout).not.toContain(other);
      const after = await snapshot(other);
      after.netns = (after.netns ?? []).filter((n) => n !== squatter);
      for (let k = 1; k <= 9; k++) expect(ours(after, other, k)).toEqual(ours(before, other, k));
    } finally {
      await run('ip', ['netns', 'del', squatter]);
    }
  });

  it('a containerd up that fails after its containerds started removes them, their mounts and dirs', async () => {
    const other = `tk${randomBytes(3).toString('hex')}`;
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen({ port: 0, host: '0.0.0.0' }, resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      // the API port is chosen after each node's containerd is up: a taken one fails the up there
      const r = await tinykube('cluster', 'up', '--name', other, '--nodes', '2', '--runtime', 'containerd', '--api-port', String(port));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Stopped the containerd of');
      expect(r.stderr).toContain(`no free API port`);
    } finally {
      busy.close();
    }
    expect((await tinykube('cluster', 'list')).stdout).not.toContain(other);
    expect(clusterTraces({ name: other, dataDir: `/var/lib/tinykube/clusters/${other}`, runDir: `/run/tinykube/clusters/${other}`, nodes: 2 }))
      .toEqual({ netns: [], links: [], mounts: [], processes: [], cniResults: [], dirs: [], containers: [] });
  });
});
