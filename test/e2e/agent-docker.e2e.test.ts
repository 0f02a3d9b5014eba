/**
 * Issue 4 with real Docker and the real kubectl: pods become containers with pod IPs; logs, exec,
 * port-forward go through the API server to the node API; restarts, probes, pulls, deletion, and an
 * agent killed with -9 that comes back without starting anything twice. Issue 12: the same cases
 * with the agent on containerd (a private containerd with its CRI plugin, started for this file).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { TestControlPlane, freePort, type Run } from '../helpers/control-plane.js';
import { ClusterTarget } from '../helpers/cluster-target.js';
import { eventually } from '../helpers/eventually.js';
import { startPrivateContainerd, type PrivateContainerd } from '../helpers/private-containerd.js';
import { TestAgent } from '../helpers/test-agent.js';

const fetchText = async (url: string): Promise<string> => (await fetch(url, { signal: AbortSignal.timeout(3000) })).text();

/** What the cases drive: kubectl against a cluster, and the node a pod landed on. */
interface Rig {
  k(...args: string[]): Promise<string>;
  kubectl(args: readonly string[], opts?: { input?: string }): Promise<Run>;
  manifest(name: string, yaml: string): string;
  readonly kubeconfig: string;
  readonly cacheDir: string;
  /** Pod IPs come from this cluster CIDR. */
  clusterCidr: string;
  /** A registry the node pulls from over plain HTTP (host:port). */
  registry: string;
  kill9(node: string): Promise<void>;
  restart(node: string): Promise<void>;
  containers(node: string, all?: boolean): Promise<Array<{ id: string; name: string; state: string }>>;
  /** The host-local file of an allocated pod IP on that node. */
  ipFile(node: string, ip: string): string;
}

/** One way of running the agent: set up, the rig, torn down. */
interface Target { runtime: string; setUp(): Promise<Rig>; tearDown(): Promise<void> }

/** One agent (TestAgent) on a runtime, against one control plane (TestControlPlane). */
function singleNode(runtime: string, clusterCidr: string, rt: { setUp(): Promise<{ runtimeEndpoint?: string }>; ipFile(agent: TestAgent, ip: string): string; tearDown(): Promise<void> }): Target {
  const cp = new TestControlPlane({ extraArgs: ['--cluster-cidr', clusterCidr] });
  let agent: TestAgent | undefined;
  return {
    runtime,
    async setUp() {
      const extra = await rt.setUp();
      await cp.start();
      const a = new TestAgent(cp, { extraArgs: ['--max-backoff', '4s'], ...extra });
      agent = a;
      await a.start();
      return {
        k: (...args) => cp.k(...args), kubectl: (args, opts) => cp.kubectl(args, opts ?? {}), manifest: (n, y) => cp.manifest(n, y),
        kubeconfig: cp.kubeconfig, cacheDir: cp.cacheDir, clusterCidr, registry: '127.0.0.1:5000',
        kill9: () => a.kill9(), restart: () => a.start(), containers: (_node, all) => a.containers(all), ipFile: (_node, ip) => rt.ipFile(a, ip),
      };
    },
    async tearDown() {
      await agent?.destroy();
      await cp.destroy();
      await rt.tearDown();
    },
  };
}

let containerd: PrivateContainerd | undefined;
const containerdName = `agent-e2e-${randomBytes(3).toString('hex')}`;
let cluster: ClusterTarget | undefined;
const TARGETS: Target[] = [
  singleNode('Docker', '10.251.0.0/16', {
    setUp: () => Promise.resolve({}),
    ipFile: (agent, ip) => join(agent.dataDir, 'cni', 'networks', 'tinykube', ip),
    tearDown: () => Promise.resolve(),
  }),
  singleNode('containerd', '10.253.0.0/16', {
    setUp: async () => {
      containerd = await startPrivateContainerd({ name: containerdName });
      return { runtimeEndpoint: containerd.endpoint };
    },
    // the network is the private containerd's (its CNI template): tk-<name> under its host-local dataDir
    ipFile: (_agent, ip) => join(containerd!.cniDataDir, `tk-${containerdName}`, ip),
    tearDown: async () => { await containerd?.stop(); containerd = undefined; },
  }),
  {
    // issue 12: a node of a 3-node `cluster up --runtime containerd` (its own containerd in its netns)
    runtime: 'a 3-node cluster up --runtime containerd',
    async setUp() {
      const c = new ClusterTarget(`tka${randomBytes(2).toString('hex')}`, 3, 'containerd');
      cluster = c;
      await c.start();
      return {
        k: (...args) => c.k(...args), kubectl: (args, opts) => c.kubectl(args, opts ?? {}), manifest: (n, y) => c.manifest(n, y),
        kubeconfig: c.kubeconfig, cacheDir: c.cacheDir, clusterCidr: c.state().plan.clusterCidr, registry: c.registry,
        kill9: (node) => c.kill9(node), restart: (node) => Promise.resolve(c.start9(node)),
        containers: (node, all) => c.containers(node, all), ipFile: (node, ip) => c.ipFile(node, ip),
      };
    },
    async tearDown() { await cluster?.destroy(); cluster = undefined; },
  },
];

describe.each(TARGETS)('the node agent on $runtime, driven by kubectl', (target) => {
  let rig: Rig;
  let cp: Rig;
  let ipPattern: RegExp;
  beforeAll(async () => {
    rig = await target.setUp();
    cp = rig;
    ipPattern = new RegExp(`^${rig.clusterCidr.split('.').slice(0, 2).join('\\.')}\\.\\d+\\.\\d+$`);
  }, 300_000);
  afterAll(async () => { await target.tearDown(); }, 240_000);

  const pod = (name: string, spec: string) => cp.manifest(`${name}.yaml`, `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, labels: {app: ${name}}}\nspec:\n${spec}`);
  const jp = (name: string, path: string) => cp.k('get', 'pod', name, '-o', `jsonpath={${path}}`);

  it('a pod runs with a pod IP that answers; logs, logs -f, exec, exec -i, port-forward', async () => {
    await cp.k('apply', '-f', pod('web', '  containers: [{name: web, image: "tinykube/web:1"}]\n'));
    await eventually(async () => { expect(await jp('web', '.status.phase')).toBe('Running'); }, { timeoutMs: 30_000, intervalMs: 100 });
    const ip = await jp('web', '.status.podIP');
    expect(ip).toMatch(ipPattern);
    expect(await fetchText(`http://${ip}/`)).toContain('pod=web');
    expect(await cp.k('logs', 'web')).toContain('serving pod=web');
    const follow = spawn('kubectl', ['--kubeconfig', cp.kubeconfig, '--cache-dir', cp.cacheDir, 'logs', '-f', 'web']);
    let followed = '';
    follow.stdout.on('data', (d: Buffer) => { followed += d.toString(); });
    await eventually(async () => { expect(followed).toContain('serving pod=web'); }, { timeoutMs: 10_000, intervalMs: 100 });
    const seen = followed.split('response:').length;
    await fetchText(`http://${ip}/again`);
    await eventually(async () => { expect(followed.split('response:').length).toBeGreaterThan(seen); }, { timeoutMs: 10_000, intervalMs: 100 }); // a line written after -f began
    follow.kill();
    expect((await cp.k('exec', 'web', '--', 'hostname')).trim()).toBe('web');
    const piped = await cp.kubectl(['exec', '-i', 'web', '--', 'cat'], { input: 'through stdin\n' });
    expect(piped.stdout).toBe('through stdin\n');
    const failing = await cp.kubectl(['exec', 'web', '--', 'sh', '-c', 'exit 3']);
    expect(failing.code).toBe(3);
    expect(failing.stderr).toContain('command terminated with exit code 3');
    const local = await freePort();
    const pf = spawn('kubectl', ['--kubeconfig', cp.kubeconfig, '--cache-dir', cp.cacheDir, 'port-forward', 'pod/web', `${local}:80`]);
    try {
      await eventually(async () => { expect(await fetchText(`http://127.0.0.1:${local}/`)).toContain('pod=web'); }, { timeoutMs: 15_000, intervalMs: 100 });
    } finally {
      pf.kill();
    }
  });

  it('exit 1 under restartPolicy Always: CrashLoopBackOff with a growing restartCount', async () => {
    await cp.k('create', '-f', pod('crash', '  containers: [{name: c, image: "tinykube/busybox:1", command: [sh, -c, "echo dying; exit 1"]}]\n'));
    await eventually(async () => {
      expect(await cp.k('get', 'pod', 'crash')).toMatch(/crash\s+0\/1\s+CrashLoopBackOff\s+[1-9]/);
    }, { timeoutMs: 40_000, intervalMs: 100 });
    const first = Number(await jp('crash', '.status.containerStatuses[0].restartCount'));
    await eventually(async () => { expect(Number(await jp('crash', '.status.containerStatuses[0].restartCount'))).toBeGreaterThan(first); }, { timeoutMs: 40_000, intervalMs: 100 });
    expect(await jp('crash', '.status.containerStatuses[0].lastState.terminated.exitCode')).toBe('1');
    expect(await cp.k('logs', 'crash', '--previous')).toContain('dying');
    await cp.k('delete', 'pod', 'crash', '--wait=false');
  });

  it('a failing liveness probe restarts the container; a failing readiness probe keeps Ready=False', async () => {
    await cp.k('create', '-f', pod('live', '  containers:\n  - name: c\n    image: "tinykube/busybox:1"\n    command: [sh, -c, "trap \'exit 1\' TERM; touch /tmp/ok; sleep 4; rm /tmp/ok; sleep 3600 & wait"]\n    livenessProbe: {exec: {command: [cat, /tmp/ok]}, periodSeconds: 1, failureThreshold: 2}\n'));
    await cp.k('create', '-f', pod('notready', '  containers:\n  - name: c\n    image: "tinykube/web:1"\n    readinessProbe: {httpGet: {path: /, port: 81}, periodSeconds: 1}\n'));
    await eventually(async () => { expect(Number(await jp('live', '.status.containerStatuses[0].restartCount'))).toBeGreaterThanOrEqual(1); }, { timeoutMs: 40_000, intervalMs: 100 });
    expect(await cp.k('get', 'events', '--field-selector', 'involvedObject.name=live,reason=Unhealthy', '-o', 'jsonpath={.items[*].message}')).toContain('Liveness probe failed');
    await eventually(async () => { expect(await jp('notready', '.status.phase')).toBe('Running'); }, { timeoutMs: 30_000, intervalMs: 100 });
    // the readiness probe has failed more than once (the kubelet counts its Unhealthy event up)
    await eventually(async () => {
      const counts = await cp.k('get', 'events', '--field-selector', 'involvedObject.name=notready,reason=Unhealthy', '-o', 'jsonpath={.items[*].count}');
      expect(counts.split(' ').filter(Boolean).reduce((n, c) => n + Number(c), 0)).toBeGreaterThanOrEqual(2);
    }, { timeoutMs: 15_000, intervalMs: 100 });
    expect(await jp('notready', '.status.conditions[?(@.type=="Ready")].status')).toBe('False');
    expect(await cp.k('get', 'pod', 'notready')).toMatch(/notready\s+0\/1\s+Running/);
    await cp.k('delete', 'pod', 'live', 'notready', '--wait=false');
  });

  it('a missing image shows ErrImagePull then ImagePullBackOff; the local registry serves pulls', async () => {
    await cp.k('create', '-f', pod('noimg', `  containers: [{name: c, image: "${rig.registry}/tinykube/does-not-exist:1"}]\n`));
    // ErrImagePull is brief (the next sync is already in back-off): the events keep it
    await eventually(async () => { expect(await jp('noimg', '.status.containerStatuses[0].state.waiting.reason')).toBe('ImagePullBackOff'); }, { timeoutMs: 30_000, intervalMs: 100 });
    const events = await cp.k('get', 'events', '--field-selector', 'involvedObject.name=noimg', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}');
    expect(events).toContain('Failed: Error: ErrImagePull');
    expect(events).toContain(`BackOff: Back-off pulling image "${rig.registry}/tinykube/does-not-exist:1"`);
    await cp.k('create', '-f', pod('pulled', `  containers: [{name: c, image: "${rig.registry}/tinykube/pulltest:1", imagePullPolicy: Always, command: [sleep, "3600"]}]\n`));
    await eventually(async () => { expect(await jp('pulled', '.status.phase')).toBe('Running'); }, { timeoutMs: 60_000, intervalMs: 100 });
    expect(await cp.k('get', 'events', '--field-selector', 'involvedObject.name=pulled,reason=Pulled', '-o', 'jsonpath={.items[*].message}')).toContain('Successfully pulled image');
    await cp.k('delete', 'pod', 'noimg', 'pulled', '--wait=false');
  });

  it('kill -9 the agent and restart it: no container started twice, status resumes', async () => {
    await cp.k('create', '-f', pod('steady', '  containers: [{name: c, image: "tinykube/web:1"}]\n'));
    await eventually(async () => { expect(await jp('steady', '.status.phase')).toBe('Running'); }, { timeoutMs: 30_000, intervalMs: 100 });
    const node = await jp('steady', '.spec.nodeName');
    const before = (await rig.containers(node, false)).map((c) => c.id).sort();
    await rig.kill9(node);
    await cp.k('label', 'pod', 'steady', 'while=down');
    const restartedAt = Date.now();
    await rig.restart(node);
    await cp.k('create', '-f', pod('after', `  nodeName: ${node}\n  containers: [{name: c, image: "tinykube/web:1"}]\n`)); // on the restarted node
    await eventually(async () => { expect(await jp('after', '.status.phase')).toBe('Running'); }, { timeoutMs: 30_000, intervalMs: 100 });
    console.log(`${target.runtime}: agent restarted after kill -9 → a new pod Running on its node in ${Date.now() - restartedAt} ms`);
    const steadyIds = await jp('steady', '.status.containerStatuses[0].containerID');
    expect(before.some((id) => steadyIds.includes(id))).toBe(true);
    expect(await jp('steady', '.status.containerStatuses[0].restartCount')).toBe('0');
    const names = (await rig.containers(node, false)).map((c) => c.name);
    expect(names.filter((n) => n.includes('_steady_')).length).toBe(2); // its sandbox and its one container
  });

  it('deleting a pod stops and removes its containers within the grace period and frees its IP', async () => {
    const ip = await jp('steady', '.status.podIP');
    const uid = await jp('steady', '.metadata.uid');
    const node = await jp('steady', '.spec.nodeName');
    expect(existsSync(rig.ipFile(node, ip))).toBe(true);
    const t0 = Date.now();
    await cp.k('delete', 'pod', 'steady', '--timeout=40s');
    expect(Date.now() - t0).toBeLessThan(35_000);
    expect((await rig.containers(node)).filter((c) => c.name.includes(uid))).toEqual([]);
    expect(existsSync(rig.ipFile(node, ip))).toBe(false);
  });
});
