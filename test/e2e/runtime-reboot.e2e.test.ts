/**
 * Issue 13 (item 2) with real runtimes: a host reboot (the agent killed with -9; the runtime, its
 * shims and every container killed at once, its /run state gone; the runtime started again; the
 * agent started again) brings every pod back in a new sandbox with restartCount 1 and a new IP.
 * Two leftovers that cannot be removed (an immutable file in the sandbox's directory: removal
 * fails with "operation not permitted") stay in the way: one of a running pod (the old agent
 * removed the dead sandbox before making a new one and never got past it), one of a pod deleted
 * while the node was down (the old agent crashed on it at start). Garbage collection logs them,
 * retries, and removes the second once it can. Then the runtime alone restarts under the running
 * agent. The runtimes are a private containerd and a private dockerd on its own containerd (never
 * the host's, which other tests use at the same time). Recovery times are printed, not asserted.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestControlPlane } from '../helpers/control-plane.js';
import { crictlBinary } from '../helpers/cri-tools.js';
import { eventually } from '../helpers/eventually.js';
import { startPrivateContainerd, type PrivateContainerd } from '../helpers/private-containerd.js';
import { startPrivateDockerd, type PrivateDockerd } from '../helpers/private-dockerd.js';
import { TestAgent } from '../helpers/test-agent.js';

const run = promisify(execFile);
const PODS = ['ra', 'rb', 'rc'] as const;
const fetchText = async (url: string): Promise<string> => (await fetch(url, { signal: AbortSignal.timeout(3000) })).text();
type Sandbox = { id: string; state: 'SANDBOX_READY' | 'SANDBOX_NOTREADY' };

/** A runtime this test can reboot: a private containerd, or a private dockerd with its own containerd. */
interface RuntimeCase {
  runtime: string;
  /** Own per runtime, so two runs at once never share routes. */
  clusterCidr: string;
  setUp(name: string): Promise<string>;
  /** A pod's sandboxes as the runtime itself has them (with the agent down as well). */
  sandboxes(pod: string): Promise<Sandbox[]>;
  /** The runtime's own directory of a sandbox, which its removal deletes. */
  sandboxDir(id: string): string;
  reboot(): Promise<void>;
  tearDown(): Promise<void>;
}

let containerd: PrivateContainerd | undefined;
let dockerd: PrivateDockerd | undefined;
const RUNTIMES: RuntimeCase[] = [
  {
    runtime: 'containerd', clusterCidr: '10.238.0.0/16',
    setUp: async (name) => { containerd = await startPrivateContainerd({ name }); return containerd.endpoint; },
    sandboxes: async (pod) => {
      if (crictlBinary() === undefined) throw new Error('crictl is not on this machine (../shared/tools/cri-tools)');
      const { stdout } = await run(crictlBinary()!, ['-r', `unix://${containerd!.address}`, '-t', '20s', 'pods', '--name', `^${pod}$`, '-o', 'json']);
      return (JSON.parse(stdout) as { items: Sandbox[] }).items.map((i) => ({ id: i.id, state: i.state }));
    },
    sandboxDir: (id) => join(containerd!.root, 'io.containerd.grpc.v1.cri', 'sandboxes', id),
    reboot: () => containerd!.reboot(),
    tearDown: async () => { await containerd?.stop(); containerd = undefined; },
  },
  {
    runtime: 'Docker', clusterCidr: '10.239.0.0/16',
    setUp: async (name) => { dockerd = await startPrivateDockerd({ name }); return dockerd.endpoint; },
    sandboxes: async (pod) => {
      const out = await dockerd!.docker(['ps', '-a', '--no-trunc', '--filter', 'label=io.kubernetes.docker.type=podsandbox',
        '--filter', `label=io.kubernetes.pod.name=${pod}`, '--format', '{{.ID}} {{.State}}']);
      return out.split('\n').filter(Boolean).map((l) => {
        const [id, state] = l.split(' ');
        return { id: id!, state: state === 'running' ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY' };
      });
    },
    sandboxDir: (id) => join(dockerd!.dataRoot, 'containers', id),
    reboot: () => dockerd!.reboot(),
    tearDown: async () => { await dockerd?.stop(); dockerd = undefined; },
  },
];

describe.each(RUNTIMES)('a host reboot under running pods, on $runtime', (rc) => {
  const name = `reboot-${randomBytes(3).toString('hex')}`;
  const cp = new TestControlPlane({ extraArgs: ['--cluster-cidr', rc.clusterCidr] });
  const ipPattern = new RegExp(`^${rc.clusterCidr.split('.').slice(0, 2).join('\\.')}\\.\\d+\\.\\d+$`);
  let agent: TestAgent;
  /** Files made immutable by this test: made mutable again in afterAll whatever happened. */
  const pinned: string[] = [];
  const sandboxesOf = (pod: string) => rc.sandboxes(pod);
  const jp = (pod: string, path: string) => cp.k('get', 'pod', pod, '-o', `jsonpath={${path}}`);

  /** Every pod Running again with this restartCount and an IP other than the one it had (one list per poll, so the time measured is the pods', not kubectl's). */
  const allBack = (restarts: number, ipBefore: (pod: string) => string): Promise<Pod[]> => eventually(async () => {
    const list = JSON.parse(await cp.k('get', 'pods', '-o', 'json')) as { items: Pod[] };
    return PODS.map((p) => {
      const x = list.items.find((i) => i.metadata?.name === p);
      const cs = x?.status?.containerStatuses?.[0];
      expect(x?.status?.phase, p).toBe('Running');
      expect(cs?.restartCount, p).toBe(restarts);
      expect(cs?.state?.running, p).toBeDefined();
      expect(x?.status?.podIP, p).not.toBe(ipBefore(p));
      return x!;
    });
  }, { timeoutMs: 90_000, intervalMs: 200 });

  /** A file in the sandbox's own directory that nobody can delete: its removal fails. */
  async function pinSandbox(id: string): Promise<void> {
    const dir = rc.sandboxDir(id);
    if (!existsSync(dir)) throw new Error(`no sandbox directory ${dir}`);
    const file = join(dir, 'tk-test-immutable');
    writeFileSync(file, 'held\n');
    await run('chattr', ['+i', file]);
    pinned.push(file);
  }
  async function unpinAll(): Promise<void> {
    for (const f of pinned.splice(0)) await run('chattr', ['-i', f]).catch(() => undefined); // gone with its directory: fine
  }

  beforeAll(async () => {
    const runtimeEndpoint = await rc.setUp(name);
    await cp.start();
    agent = new TestAgent(cp, { runtimeEndpoint });
    await agent.start();
  });
  afterAll(async () => {
    // every step, even after one failed: a private runtime left running outlives the test
    const errors: unknown[] = [];
    for (const step of [unpinAll, () => agent?.destroy(), () => cp.destroy(), () => rc.tearDown()]) {
      await Promise.resolve().then(step).catch((err: unknown) => { errors.push(err); });
    }
    if (errors.length > 0) throw errors[0];
  });

  it('every pod comes back with a new sandbox, restartCount 1 and a new IP; leftovers that cannot be removed block nothing', async () => {
    const all = [...PODS, 'rgone'];
    for (const p of all) {
      await cp.k('apply', '-f', cp.manifest(`${p}.yaml`, `apiVersion: v1\nkind: Pod\nmetadata: {name: ${p}}\nspec:\n  terminationGracePeriodSeconds: 1\n  containers: [{name: web, image: "tinykube/web:1"}]\n`));
    }
    const before = new Map<string, { ip: string; sandbox: string }>();
    for (const p of all) {
      await eventually(async () => { expect(await jp(p, '.status.phase')).toBe('Running'); }, { timeoutMs: 60_000, intervalMs: 200 });
      const [sb] = await sandboxesOf(p);
      before.set(p, { ip: await jp(p, '.status.podIP'), sandbox: sb!.id });
    }
    await pinSandbox(before.get('rc')!.sandbox);
    await pinSandbox(before.get('rgone')!.sandbox);

    // the reboot: the agent and everything of the runtime killed at once
    await agent.kill9();
    const t0 = Date.now();
    await rc.reboot();
    for (const p of all) expect((await sandboxesOf(p)).map((s) => s.state)).toEqual(['SANDBOX_NOTREADY']);
    // a pod deleted while the node was down leaves an orphan behind
    await cp.k('delete', 'pod', 'rgone', '--force', '--grace-period=0');
    const tAgent = Date.now();
    await agent.start();
    const tReady = Date.now();

    const back = await allBack(1, (p) => before.get(p)!.ip);
    const tBack = Date.now();
    for (const x of back) {
      const p = x.metadata!.name!;
      expect(x.status!.podIP).toMatch(ipPattern);
      expect(await fetchText(`http://${x.status!.podIP!}/`)).toContain(`pod=${p}`);
      expect(x.status?.containerStatuses?.[0]?.lastState?.terminated).toBeDefined();
      const sandboxes = await sandboxesOf(p);
      const ready = sandboxes.filter((s) => s.state === 'SANDBOX_READY').map((s) => s.id);
      expect(ready).toHaveLength(1);
      expect(ready).not.toContain(before.get(p)!.sandbox);
    }
    console.log(`${rc.runtime} reboot: node Ready ${tReady - tAgent} ms after the agent started; all ${PODS.length} pods Running again (restartCount 1, new IPs) ${tBack - tAgent} ms after it, ${tBack - t0} ms after the runtime went down`);

    // the orphan's removal failed, was logged, and is retried; once it can go, it goes
    await eventually(() => {
      expect(agent.log).toContain('Failed to remove pod sandbox; garbage collection retries it');
      expect(agent.log).toContain('operation not permitted');
    }, { timeoutMs: 30_000 });
    expect((await sandboxesOf('rgone')).map((s) => s.id)).toEqual([before.get('rgone')!.sandbox]);
    await unpinAll();
    const tUnpin = Date.now();
    await eventually(async () => { expect(await sandboxesOf('rgone')).toEqual([]); }, { timeoutMs: 60_000, intervalMs: 250 });
    console.log(`${rc.runtime} reboot: the orphan sandbox removed ${Date.now() - tUnpin} ms after it became removable`);
  });

  it('a runtime restart under a running agent: every pod back with a new sandbox, restartCount + 1 and a new IP', async () => {
    const before = new Map<string, string>();
    for (const p of PODS) before.set(p, await jp(p, '.status.podIP'));
    const t0 = Date.now();
    await rc.reboot(); // the agent stays up and sees its sandboxes die
    const back = await allBack(2, (p) => before.get(p)!);
    console.log(`${rc.runtime} restart under a running agent: all ${PODS.length} pods Running again (restartCount 2, new IPs) ${Date.now() - t0} ms after the runtime went down`);
    for (const x of back) expect(await fetchText(`http://${x.status!.podIP!}/`)).toContain(`pod=${x.metadata!.name!}`);
  });
});
