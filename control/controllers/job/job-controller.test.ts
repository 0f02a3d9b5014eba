import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { createScheduler } from '../../scheduler/scheduler.js';
import { FakeClock } from '../../util/clock.js';
import type { Clock } from '../../util/clock.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { EXIT_CODE_ANNOTATION, FakeKubelet } from '../../controller-manager/testing/fake-kubelet.js';
import { createJobController } from './job-controller.js';
import { JOB_TRACKING_FINALIZER } from './job-pods.js';

const JOBS = findResource('batch', 'v1', 'jobs')!;
const PODS = findResource('', 'v1', 'pods')!;
const EVENTS = findResource('', 'v1', 'events')!;

function job(name: string, spec: Partial<NonNullable<Job['spec']>> = {}, exitCode?: string): KubeObject {
  const j: Job = {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' },
    spec: {
      ...spec,
      template: {
        metadata: exitCode === undefined ? {} : { annotations: { [EXIT_CODE_ANNOTATION]: exitCode } },
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] },
      },
    },
  };
  return j as unknown as KubeObject;
}

describe('JobController', () => {
  let env: ControllerEnv;
  const setup = async (clock?: Clock) => {
    env = await startControllerEnv({ clock });
    const k = new FakeKubelet({ client: env.client, nodeName: 'n1', clock });
    await k.register();
    env.start(k, createScheduler(env.ctx), createJobController(env.ctx, { backoffBaseMs: 10 }));
  };
  afterEach(async () => { await env.close(); });

  const getJob = (name: string) => env.client.get<Job & KubeObject>(JOBS, 'default', name);
  const pods = async () => (await env.client.list<Pod & KubeObject>(PODS, 'default')).items;
  const events = async () => (await env.client.list<Event & KubeObject>(EVENTS, 'default')).items;
  const condition = (j: Job, type: string) => j.status?.conditions?.find((c) => c.type === type);

  it('adopts a matching orphan and releases a pod whose labels no longer match (upstream ClaimPods)', async () => {
    await setup();
    await env.client.create(JOBS, 'default', job('adopt', { parallelism: 2, completions: 2 }));
    const uid = (await getJob('adopt')).metadata?.uid;
    const controlled = (p: Pod) => p.metadata?.ownerReferences?.some((r) => r.controller && r.uid === uid) === true;
    const [first, second] = await eventually(async () => {
      const ps = (await pods()).filter(controlled);
      expect(ps).toHaveLength(2);
      return ps as [Pod & KubeObject, Pod & KubeObject];
    });
    // merge patches (no resourceVersion): the fake kubelet writes the pods' status meanwhile
    await env.client.patch(PODS, 'default', first.metadata?.name ?? '', 'merge', { metadata: { ownerReferences: null } });
    await eventually(async () => { expect(controlled(await env.client.get<Pod & KubeObject>(PODS, 'default', first.metadata?.name ?? ''))).toBe(true); });
    await env.client.patch(PODS, 'default', second.metadata?.name ?? '', 'merge', { metadata: { labels: null } });
    await eventually(async () => {
      const released = await env.client.get<Pod & KubeObject>(PODS, 'default', second.metadata?.name ?? '');
      expect(released.metadata?.ownerReferences ?? []).toEqual([]);
    });
  });

  it('runs a Job to completion', async () => {
    await setup();
    await env.client.create(JOBS, 'default', job('once', {}, '0'));
    const done = await eventually(async () => {
      const j = await getJob('once');
      expect(condition(j, 'Complete')).toMatchObject({ status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' });
      return j;
    });
    expect(condition(done, 'SuccessCriteriaMet')?.status).toBe('True');
    expect(done.status).toMatchObject({ succeeded: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(done.status?.active).toBeUndefined();
    expect(done.status?.startTime).toBeTruthy();
    expect(done.status?.completionTime).toBeTruthy();
    const [p] = await pods();
    expect(p!.metadata?.labels).toMatchObject({ 'batch.kubernetes.io/job-name': 'once', 'job-name': 'once', 'controller-uid': done.metadata?.uid, 'batch.kubernetes.io/controller-uid': done.metadata?.uid });
    expect(p!.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Job', name: 'once', controller: true });
    await eventually(async () => expect((await pods())[0]!.metadata?.finalizers ?? []).not.toContain(JOB_TRACKING_FINALIZER));
    await eventually(async () => {
      const evs = await events();
      expect(evs.some((e) => e.reason === 'SuccessfulCreate' && e.message === `Created pod: ${p!.metadata?.name}`)).toBe(true);
      expect(evs.some((e) => e.reason === 'Completed' && e.message === 'Job completed')).toBe(true);
    });
  });

  it('respects completions 3 with parallelism 2', async () => {
    await setup();
    const ac = new AbortController();
    let maxActive = 0;
    const live = new Map<string, Pod>();
    const list = await env.client.list<Pod & KubeObject>(PODS, 'default');
    const watching = (async () => {
      for await (const ev of env.client.watch<Pod & KubeObject>(PODS, 'default', { resourceVersion: list.resourceVersion }, ac.signal)) {
        const name = ev.object.metadata?.name ?? '';
        const phase = ev.object.status?.phase;
        if (ev.type === 'DELETED' || phase === 'Succeeded' || phase === 'Failed' || ev.object.metadata?.deletionTimestamp) live.delete(name);
        else if (ev.type !== 'BOOKMARK') live.set(name, ev.object);
        maxActive = Math.max(maxActive, live.size);
      }
    })().catch(() => undefined);
    await env.client.create(JOBS, 'default', job('three', { completions: 3, parallelism: 2 }, '0'));
    const done = await eventually(async () => {
      const j = await getJob('three');
      expect(condition(j, 'Complete')?.status).toBe('True');
      return j;
    });
    ac.abort();
    await watching;
    expect(done.status?.succeeded).toBe(3);
    expect(await pods()).toHaveLength(3);
    expect(maxActive).toBe(2);
  });

  it('stops a failing Job at its backoffLimit', async () => {
    await setup();
    await env.client.create(JOBS, 'default', job('fails', { backoffLimit: 2 }, '1'));
    const failed = await eventually(async () => {
      const j = await getJob('fails');
      expect(condition(j, 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
      return j;
    });
    expect(condition(failed, 'FailureTarget')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded' });
    expect(failed.status?.failed).toBe(3);
    expect(failed.status?.succeeded).toBeUndefined();
    expect(await pods()).toHaveLength(3);
    await eventually(async () => {
      expect((await events()).some((e) => e.reason === 'BackoffLimitExceeded' && e.type === 'Warning' && e.message === 'Job has reached the specified backoff limit')).toBe(true);
    });
  });

  it('fails a Job past activeDeadlineSeconds and deletes its pods', async () => {
    const clock = new FakeClock(Date.now());
    await setup(clock);
    await env.client.create(JOBS, 'default', job('slow', { activeDeadlineSeconds: 30, parallelism: 2, completions: 2 }));
    await eventually(async () => expect((await pods()).filter((p) => p.status?.phase === 'Running')).toHaveLength(2));
    clock.advance(31_000);
    await env.client.patch(JOBS, 'default', 'slow', 'merge', { metadata: { labels: { poke: '1' } } });
    const failed = await eventually(async () => {
      const j = await getJob('slow');
      expect(condition(j, 'Failed')).toMatchObject({ status: 'True', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
      return j;
    });
    expect(failed.status?.failed).toBe(2);
    await eventually(async () => expect(await pods()).toHaveLength(0));
  });

  it('creates no pods while suspended, and starts them when resumed', async () => {
    await setup();
    await env.client.create(JOBS, 'default', job('paused', { suspend: true }));
    await eventually(async () => {
      const j = await getJob('paused');
      expect(condition(j, 'Suspended')).toMatchObject({ status: 'True', reason: 'JobSuspended', message: 'Job suspended' });
    });
    expect(await pods()).toHaveLength(0);
    await env.client.patch(JOBS, 'default', 'paused', 'merge', { spec: { suspend: false } });
    await eventually(async () => {
      const j = await getJob('paused');
      expect(condition(j, 'Suspended')).toMatchObject({ status: 'False', reason: 'JobResumed' });
      expect(j.status?.active).toBe(1);
    });
    expect(await pods()).toHaveLength(1);
  });
});
