import type { Pod } from 'kubernetes-types/core/v1.js';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../test/helpers/eventually.js';
import { startAgentHarness } from './testing/agent-harness.js';
import type { AgentHarness } from './testing/agent-harness.js';

let h: AgentHarness;
afterEach(async () => { await h?.close(); });

const status = (p: Pod | undefined, name = 'app') => p?.status?.containerStatuses?.find((c) => c.name === name);
const cond = (p: Pod | undefined, type: string) => p?.status?.conditions?.find((c) => c.type === type);

describe('agent: restarts, probes, images', () => {
  it('Always + exit 1 → CrashLoopBackOff with a growing restartCount', async () => {
    h = await startAgentHarness({ agent: { maxBackoffMs: 100 } });
    h.runtime.setBehaviour('app', { exitAfterMs: 5, exitCode: 1 });
    const created = await h.createPod({ metadata: { name: 'crash' }, spec: { containers: [{ name: 'app', image: 'busybox:1' }] } });
    const p = await eventually(async () => {
      const x = await h.getPod('crash');
      expect(status(x)?.state?.waiting?.reason).toBe('CrashLoopBackOff');
      expect(status(x)?.restartCount).toBeGreaterThanOrEqual(2);
      return x!;
    }, { timeoutMs: 3000 });
    const cs = status(p)!;
    expect(cs.state?.waiting?.message).toBe(`back-off 100ms restarting failed container=app pod=crash_default(${created.metadata?.uid})`);
    expect(cs.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(p.status?.phase).toBe('Running');
    expect(cond(p, 'Ready')?.status).toBe('False');
    expect((await h.events('crash')).some((e) => e.reason === 'BackOff' && e.message === `Back-off restarting failed container app in pod crash_default(${created.metadata?.uid})`)).toBe(true);
    // old instances are garbage-collected: at most two per container
    expect(h.runtime.containersOf('crash', 'app').length).toBeLessThanOrEqual(3);
  });

  it('a failing liveness probe kills and restarts the container', async () => {
    h = await startAgentHarness();
    let healthy = true;
    h.runtime.onExec('app', () => ({ exitCode: healthy ? 0 : 1, stdout: Buffer.from(healthy ? 'ok' : 'unhealthy') }));
    await h.createPod({ metadata: { name: 'live' }, spec: { containers: [{ name: 'app', image: 'busybox:1',
      livenessProbe: { exec: { command: ['check'] }, periodSeconds: 1, failureThreshold: 2, timeoutSeconds: 1, successThreshold: 1 } }] } });
    await eventually(async () => { expect(status(await h.getPod('live'))?.ready).toBe(true); });
    healthy = false;
    const p = await eventually(async () => { const x = await h.getPod('live'); expect(status(x)?.restartCount).toBeGreaterThanOrEqual(1); return x!; }, { timeoutMs: 3000 });
    healthy = true;
    expect(status(p)?.lastState?.terminated?.exitCode).toBe(137);
    const evs = await h.events('live');
    expect(evs.some((e) => e.reason === 'Unhealthy' && e.message === 'Liveness probe failed: unhealthy')).toBe(true);
    expect(evs.some((e) => e.reason === 'Killing' && e.message === 'Container app failed liveness probe, will be restarted')).toBe(true);
    await eventually(async () => { expect(status(await h.getPod('live'))?.state?.running).toBeDefined(); });
  });

  it('a failing readiness probe keeps Ready False until it passes', async () => {
    h = await startAgentHarness();
    let ready = false;
    let probes = 0;
    h.runtime.onExec('app', () => { probes++; return { exitCode: ready ? 0 : 1 }; });
    await h.createPod({ metadata: { name: 'ready' }, spec: { containers: [{ name: 'app', image: 'busybox:1',
      readinessProbe: { exec: { command: ['check'] }, periodSeconds: 1, failureThreshold: 1, timeoutSeconds: 1, successThreshold: 1 } }] } });
    const p = await eventually(async () => { const x = await h.getPod('ready'); expect(x?.status?.phase).toBe('Running'); return x!; });
    await eventually(() => { expect(probes).toBeGreaterThanOrEqual(2); }); // a second run: the first one's failure is recorded
    await h.nextSync('ready'); // and a sync has looked at its result since
    const again = await h.getPod('ready');
    expect(cond(again, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
    expect(status(again)?.ready).toBe(false);
    expect(status(p)?.started).toBe(true);
    ready = true;
    await eventually(async () => { expect(cond(await h.getPod('ready'), 'Ready')?.status).toBe('True'); });
  });

  it('a missing image: ErrImagePull, then ImagePullBackOff, then Running once it can be pulled', async () => {
    h = await startAgentHarness({ agent: { imageBackoffMaxMs: 300 } });
    h.runtime.failPull('nosuch:1', 'manifest unknown');
    await h.createPod({ metadata: { name: 'img' }, spec: { containers: [{ name: 'app', image: 'nosuch:1', imagePullPolicy: 'IfNotPresent' }] } });
    const seen = new Set<string>();
    await eventually(async () => {
      const w = status(await h.getPod('img'))?.state?.waiting;
      if (w?.reason === 'ErrImagePull') expect(w.message).toBe('Failed to pull image "nosuch:1": pull image "nosuch:1": manifest unknown');
      if (w?.reason === 'ImagePullBackOff') expect(w.message).toBe('Back-off pulling image "nosuch:1"');
      if (w?.reason) seen.add(w.reason);
      expect([...seen]).toEqual(expect.arrayContaining(['ErrImagePull', 'ImagePullBackOff']));
    }, { timeoutMs: 3000, intervalMs: 2 });
    h.runtime.allowPull('nosuch:1');
    await eventually(async () => { expect((await h.getPod('img'))?.status?.phase).toBe('Running'); }, { timeoutMs: 3000 });
    const reasons = (await h.events('img')).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Pulling', 'Failed', 'BackOff', 'Pulled']));
  });

  it('imagePullPolicy Never with an absent image → ErrImageNeverPull', async () => {
    h = await startAgentHarness();
    await h.createPod({ metadata: { name: 'never' }, spec: { containers: [{ name: 'app', image: 'absent:1', imagePullPolicy: 'Never' }] } });
    const w = await eventually(async () => {
      const waiting = status(await h.getPod('never'))?.state?.waiting;
      expect(waiting?.reason).toBe('ErrImageNeverPull');
      return waiting!;
    });
    expect(w.message).toBe('Container image "absent:1" is not present with pull policy of Never');
    expect(h.runtime.calls.some((c) => c.startsWith('pullImage'))).toBe(false);
  });

  it('runs init containers in order before the app', async () => {
    h = await startAgentHarness();
    h.runtime.setBehaviour('init1', { exitAfterMs: 30, exitCode: 0 });
    h.runtime.setBehaviour('init2', { exitAfterMs: 30, exitCode: 0 });
    await h.createPod({ metadata: { name: 'inits' }, spec: {
      initContainers: [{ name: 'init1', image: 'busybox:1' }, { name: 'init2', image: 'busybox:1' }],
      containers: [{ name: 'app', image: 'busybox:1' }] } });
    const pending = await eventually(async () => { const x = await h.getPod('inits'); expect(x?.status?.initContainerStatuses?.[0]?.state?.running).toBeDefined(); return x!; });
    expect(pending.status?.phase).toBe('Pending');
    expect(cond(pending, 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init1 init2]' });
    expect(status(pending)?.state?.waiting?.reason).toBe('PodInitializing');
    const p = await eventually(async () => { const x = await h.getPod('inits'); expect(x?.status?.phase).toBe('Running'); return x!; });
    expect(p.status?.initContainerStatuses?.map((s) => s.state?.terminated?.reason)).toEqual(['Completed', 'Completed']);
    expect(cond(p, 'Initialized')?.status).toBe('True');
    expect(h.runtime.calls.filter((c) => c.startsWith('startContainer'))).toEqual(['startContainer inits/init1', 'startContainer inits/init2', 'startContainer inits/app']);
  });
});
