/**
 * Issue 13 (item 2) with real runtimes: a host reboot (the agent killed with -9; the runtime, its
 * shims and every container killed at once, its /run state gone; the runtime started again; the
 * agent started again) brings every pod back in a new sandbox with restartCount 1 and a new IP.
 * Two leftovers that cannot be removed (an immutable file in the sandbox's directory: removal
 * fails with "operation not permitted") stay in the way: one of a running pod (the old agent
 * removed the dead sandbox before making a new one and never got past it), one of a pod deleted
 * while the node was down (the old agent crashed on it at start). Garbage collection logs them,
 * retries, and removes the second once it can. The runtime here is a private containerd (never
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
import { TestAgent } from '../helpers/test-agent.js';

const run = promisify(execFile);
const PODS = ['ra', 'rb', 'rc'] as const;
const CLUSTER_CIDR = '10.238.0.0/16';
const fetchText = async (url: string): Promise<string> => (await fetch(url, { signal: AbortSignal.timeout(3000) })).text();

describe('a host reboot under running pods, on containerd', () => {
  const name = `reboot-${randomBytes(3).toString('hex')}`;
  const cp = new TestControlPlane({ extraArgs: ['--cluster-cidr', CLUSTER_CIDR] });
  let containerd: PrivateContainerd;
  let agent: TestAgent;
  /** Files made immutable by this test: made mutable again in afterAll whatever happened. */
  const pinned: string[] = [];

  const crictl = async (...args: string[]): Promise<string> =>
    (await run(crictlBinary()!, ['-r', `unix://${containerd.address}`, '-t', '20s', ...args])).stdout;
  const sandboxesOf = async (pod: string): Promise<Array<{ id: string; state: string }>> =>
    (JSON.parse(await crictl('pods', '--name', `^${pod}$`, '-o', 'json')) as { items: Array<{ id: string; state: string }> }).items;
  const jp = (pod: string, path: string) => cp.k('get', 'pod', pod, '-o', `jsonpath={${path}}`);

  /** A file in the sandbox's own directory that nobody can delete: its removal fails. */
  async function pinSandbox(id: string): Promise<void> {
    const dir = join(containerd.root, 'io.containerd.grpc.v1.cri', 'sandboxes', id);
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
    containerd = await startPrivateContainerd({ name });
    await cp.start();
    agent = new TestAgent(cp, { runtimeEndpoint: containerd.endpoint });
    await agent.start();
  });
  afterAll(async () => {
    await unpinAll();
    await agent?.destroy();
    await cp.destroy();
    await containerd?.stop();
  });

  it('every pod comes back with a new sandbox, restartCount 1 and a new IP; leftovers that cannot be removed block nothing', async () => {
    if (crictlBinary() === undefined) throw new Error('crictl is not on this machine (../shared/tools/cri-tools)');
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
    await containerd.reboot();
    for (const p of all) expect((await sandboxesOf(p)).map((s) => s.state)).toEqual(['SANDBOX_NOTREADY']);
    // a pod deleted while the node was down leaves an orphan behind
    await cp.k('delete', 'pod', 'rgone', '--force', '--grace-period=0');
    const tAgent = Date.now();
    await agent.start();
    const tReady = Date.now();

    // one list per poll, so the time measured is the pods', not kubectl's
    const back = await eventually(async () => {
      const list = JSON.parse(await cp.k('get', 'pods', '-o', 'json')) as { items: Pod[] };
      return PODS.map((p) => {
        const x = list.items.find((i) => i.metadata?.name === p);
        const cs = x?.status?.containerStatuses?.[0];
        expect(x?.status?.phase, p).toBe('Running');
        expect(cs?.restartCount, p).toBe(1);
        expect(cs?.state?.running, p).toBeDefined();
        expect(x?.status?.podIP, p).not.toBe(before.get(p)!.ip);
        return x!;
      });
    }, { timeoutMs: 90_000, intervalMs: 200 });
    const tBack = Date.now();
    for (const x of back) {
      const p = x.metadata!.name!;
      expect(x.status!.podIP).toMatch(/^10\.238\.\d+\.\d+$/);
      expect(await fetchText(`http://${x.status!.podIP!}/`)).toContain(`pod=${p}`);
      expect(x.status?.containerStatuses?.[0]?.lastState?.terminated).toBeDefined();
      const sandboxes = await sandboxesOf(p);
      const ready = sandboxes.filter((s) => s.state === 'SANDBOX_READY').map((s) => s.id);
      expect(ready).toHaveLength(1);
      expect(ready).not.toContain(before.get(p)!.sandbox);
    }
    console.log(`containerd reboot: node Ready ${tReady - tAgent} ms after the agent started; all ${PODS.length} pods Running again (restartCount 1, new IPs) ${tBack - tAgent} ms after it, ${tBack - t0} ms after the runtime went down`);

    // the orphan's removal failed, was logged, and is retried; once it can go, it goes
    await eventually(() => {
      expect(agent.log).toContain('Failed to remove pod sandbox; garbage collection retries it');
      expect(agent.log).toContain('operation not permitted');
    }, { timeoutMs: 30_000 });
    expect((await sandboxesOf('rgone')).map((s) => s.id)).toEqual([before.get('rgone')!.sandbox]);
    await unpinAll();
    const tUnpin = Date.now();
    await eventually(async () => { expect(await sandboxesOf('rgone')).toEqual([]); }, { timeoutMs: 60_000, intervalMs: 250 });
    console.log(`containerd reboot: the orphan sandbox removed ${Date.now() - tUnpin} ms after it became removable`);
  });

  it('a runtime restart under a running agent: every pod back with a new sandbox, restartCount + 1 and a new IP', async () => {
    const before = new Map<string, string>();
    for (const p of PODS) before.set(p, await jp(p, '.status.podIP'));
    const t0 = Date.now();
    await containerd.reboot(); // the agent stays up and sees its sandboxes die
    const back = await eventually(async () => {
      const list = JSON.parse(await cp.k('get', 'pods', '-o', 'json')) as { items: Pod[] };
      return PODS.map((p) => {
        const x = list.items.find((i) => i.metadata?.name === p);
        const cs = x?.status?.containerStatuses?.[0];
        expect(x?.status?.phase, p).toBe('Running');
        expect(cs?.restartCount, p).toBe(2);
        expect(cs?.state?.running, p).toBeDefined();
        expect(x?.status?.podIP, p).not.toBe(before.get(p));
        return x!;
      });
    }, { timeoutMs: 90_000, intervalMs: 200 });
    console.log(`containerd restart under a running agent: all ${PODS.length} pods Running again (restartCount 2, new IPs) ${Date.now() - t0} ms after the runtime went down`);
    for (const x of back) expect(await fetchText(`http://${x.status!.podIP!}/`)).toContain(`pod=${x.metadata!.name!}`);
  });
});
