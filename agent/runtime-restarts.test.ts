/**
 * Issue 13 (item 2) on the FakeRuntime: a runtime restart or host reboot kills every sandbox; each
 * pod gets a new sandbox with restartCount + 1, and garbage-collection failures (a leftover whose
 * removal fails, "device or resource busy") are logged and retried, never blocking a pod's new
 * sandbox, a deletion or the agent's start.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { afterEach, describe, expect, it } from 'vitest';
import { CriError } from '../cri/errors.js';
import { FakeRuntime } from '../cri/fake/fake-runtime.js';
import { eventually } from '../test/helpers/eventually.js';
import { podLabels } from './labels.js';
import { podLogDirectory } from './sandbox-config.js';
import { PODS, startAgentHarness } from './testing/agent-harness.js';
import type { AgentHarness } from './testing/agent-harness.js';

/** A FakeRuntime whose removals of chosen objects fail as Docker's and containerd's do on a busy mount. */
class BusyRuntime extends FakeRuntime {
  readonly busy = new Set<string>();
  removeAttempts = new Map<string, number>();

  private check(id: string, what: string): void {
    this.removeAttempts.set(id, (this.removeAttempts.get(id) ?? 0) + 1);
    if (this.busy.has(id)) throw new CriError('Unknown', `remove ${what} ${id}: unlinkat /var/lib/x/${id}/shm: device or resource busy`);
  }

  override async removePodSandbox(id: string): Promise<void> { this.check(id, 'sandbox'); await super.removePodSandbox(id); }
  override async removeContainer(id: string): Promise<void> { this.check(id, 'container'); await super.removeContainer(id); }

  /** What a runtime restart (or a reboot) does to every pod: all sandboxes and their containers dead. */
  async crash(): Promise<void> {
    for (const id of [...this.sandboxes.keys()]) await super.stopPodSandbox(id);
  }
}

let h: AgentHarness;
afterEach(async () => { await h?.close(); });

const app = (p: Pod | undefined) => p?.status?.containerStatuses?.find((c) => c.name === 'app');
const pod = (name: string): Pod => ({ metadata: { name }, spec: { containers: [{ name: 'app', image: 'busybox:1' }] } });
const readySandboxes = (rt: FakeRuntime, name: string) => [...rt.sandboxes.values()].filter((s) => s.config.metadata.name === name && s.s.state === 'SANDBOX_READY');

async function runningWith(h: AgentHarness, name: string, restarts: number): Promise<Pod> {
  return eventually(async () => {
    const p = await h.getPod(name);
    expect(p?.status?.phase).toBe('Running');
    expect(app(p)?.state?.running).toBeDefined();
    expect(app(p)?.restartCount).toBe(restarts);
    return p!;
  }, { timeoutMs: 15_000 });
}

describe('agent: runtime restarts and garbage collection that fails', () => {
  it('after a runtime restart every pod gets a new sandbox and restartCount 1, also when its old sandbox cannot be removed', async () => {
    const rt = new BusyRuntime({ images: ['busybox:1'], runtimeName: 'docker' });
    h = await startAgentHarness({ runtime: rt, agent: { gcPeriodMs: 100, gcRetryInitialMs: 50 } });
    for (const n of ['a', 'b', 'c']) await h.createPod(pod(n));
    for (const n of ['a', 'b', 'c']) await runningWith(h, n, 0);
    const before = new Map(['a', 'b', 'c'].map((n) => [n, readySandboxes(rt, n)[0]!.s.id]));
    // c's sandbox and container are left busy: removing them fails
    rt.busy.add(before.get('c')!);
    for (const c of rt.containersOf('c')) rt.busy.add(c.id);
    const t0 = Date.now();
    await h.stopAgent(); // a reboot: the agent goes too
    await rt.crash();
    h.startAgent();
    for (const n of ['a', 'b', 'c']) {
      const p = await runningWith(h, n, 1);
      expect(p.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode).toBe(137);
      const now = readySandboxes(rt, n);
      expect(now).toHaveLength(1);
      expect(now[0]!.s.id).not.toBe(before.get(n));
      expect(now[0]!.s.metadata.attempt).toBe(1);
    }
    console.log(`fake runtime: 3 pods back with new sandboxes ${Date.now() - t0} ms after the crash`);
    // the old container stays (it carries the count on, and serves logs --previous), so does its sandbox
    expect(rt.containersOf('c', 'app').map((c) => c.metadata.attempt).sort()).toEqual([0, 1]);
  }, 30_000);

  it('a deleted pod whose sandbox cannot be removed is still deleted; garbage collection retries with backoff until it goes', async () => {
    const rt = new BusyRuntime({ images: ['busybox:1'], runtimeName: 'docker' });
    h = await startAgentHarness({ runtime: rt, agent: { gcPeriodMs: 60_000, gcRetryInitialMs: 20 } });
    await h.createPod(pod('gone'));
    await runningWith(h, 'gone', 0);
    const sb = readySandboxes(rt, 'gone')[0]!.s.id;
    rt.busy.add(sb);
    await h.client.delete(PODS, 'default', 'gone'); // graceful: the agent confirms it once stopped
    await eventually(async () => { expect(await h.getPod('gone')).toBeUndefined(); });
    // retried in the background, more than once, with the agent otherwise working
    await eventually(() => { expect(rt.removeAttempts.get(sb) ?? 0).toBeGreaterThanOrEqual(3); }, { timeoutMs: 15_000 });
    expect(h.logs.lines.some((l) => l.includes('Failed to remove pod sandbox; garbage collection retries it') && l.includes('device or resource busy'))).toBe(true);
    await h.createPod(pod('next'));
    await runningWith(h, 'next', 0);
    rt.busy.delete(sb);
    await eventually(() => { expect(rt.sandboxes.has(sb)).toBe(false); }, { timeoutMs: 15_000 });
    expect(h.logs.lines.some((l) => l.includes('Removed pod sandbox after earlier failures'))).toBe(true);
  }, 30_000);

  it('an agent starts and runs new pods with a leftover of a gone pod that cannot be removed', async () => {
    const rt = new BusyRuntime({ images: ['busybox:1'], runtimeName: 'docker' });
    const labels = podLabels({ name: 'old', namespace: 'default', uid: 'uid-of-a-gone-pod' });
    const left = await rt.runPodSandbox({ metadata: { name: 'old', namespace: 'default', uid: 'uid-of-a-gone-pod', attempt: 0 }, labels, annotations: {} } as never);
    rt.busy.add(left);
    h = await startAgentHarness({ runtime: rt, agent: { gcPeriodMs: 60_000, gcRetryInitialMs: 20 } });
    await h.createPod(pod('fresh'));
    await runningWith(h, 'fresh', 0);
    expect(rt.sandboxes.get(left)?.s.state).toBe('SANDBOX_NOTREADY'); // stopped at start, removal failed
    await eventually(() => { expect(rt.removeAttempts.get(left) ?? 0).toBeGreaterThanOrEqual(2); }, { timeoutMs: 15_000 });
    rt.busy.delete(left);
    await eventually(() => { expect(rt.sandboxes.has(left)).toBe(false); }, { timeoutMs: 15_000 });
  }, 30_000);

  it('a runtime that forgot the pod (reboot) continues the restart count from the log directory', async () => {
    const rt = new BusyRuntime({ images: ['busybox:1'], runtimeName: 'docker' });
    h = await startAgentHarness({ runtime: rt });
    const created = await h.createPod(pod('logs'));
    await runningWith(h, 'logs', 0);
    await h.stopAgent();
    for (const id of [...rt.sandboxes.keys()]) await rt.removePodSandbox(id); // the runtime's state is gone
    const dir = join(podLogDirectory(join(h.dataDir, 'logs'), created), 'app');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, '3.log'), ''); // an earlier life of the container, rotated or not
    await writeFile(join(dir, '4.log.20260101-000000'), '');
    h.startAgent();
    await runningWith(h, 'logs', 5);
  }, 30_000);
});
