import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { Event } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { createScheduler } from '../../scheduler/scheduler.js';
import { FakeClock } from '../../util/clock.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { EXIT_CODE_ANNOTATION, FakeKubelet } from '../../controller-manager/testing/fake-kubelet.js';
import { createJobController } from '../job/job-controller.js';
import { createCronJobController } from './cronjob-controller.js';
import { SCHEDULED_TIMESTAMP_ANNOTATION } from './schedule-times.js';

const CRONJOBS = findResource('batch', 'v1', 'cronjobs')!;
const JOBS = findResource('batch', 'v1', 'jobs')!;
const EVENTS = findResource('', 'v1', 'events')!;
const START = Date.UTC(2026, 0, 1, 0, 0, 30);
const minute = (m: number) => Date.UTC(2026, 0, 1, 0, m) / 60_000;

function cronJob(name: string, spec: Partial<NonNullable<CronJob['spec']>>, exitCode?: string, backoffLimit?: number): KubeObject {
  const cj: CronJob = {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'default' },
    spec: {
      schedule: '*/1 * * * *',
      ...spec,
      jobTemplate: {
        metadata: { labels: { cron: name } },
        spec: {
          ...(backoffLimit !== undefined ? { backoffLimit } : {}),
          template: {
            metadata: exitCode === undefined ? {} : { annotations: { [EXIT_CODE_ANNOTATION]: exitCode } },
            spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] },
          },
        },
      },
    },
  };
  return cj as unknown as KubeObject;
}

describe('CronJobController', () => {
  let env: ControllerEnv;
  let clock: FakeClock;
  beforeEach(async () => {
    clock = new FakeClock(START);
    env = await startControllerEnv({ clock });
    const k = new FakeKubelet({ client: env.client, nodeName: 'n1', clock });
    await k.register();
    env.start(k, createScheduler(env.ctx), createJobController(env.ctx, { backoffBaseMs: 10 }),
      createCronJobController(env.ctx, { resyncMs: 20 }));
  });
  afterEach(async () => { await env.close(); });

  const jobs = async () => (await env.client.list<Job & KubeObject>(JOBS, 'default')).items.filter((j) => !j.metadata?.deletionTimestamp);
  const jobNames = async () => (await jobs()).map((j) => j.metadata?.name).sort();
  const getCron = (name: string) => env.client.get<CronJob & KubeObject>(CRONJOBS, 'default', name);
  const events = async () => (await env.client.list<Event & KubeObject>(EVENTS, 'default')).items;
  const finished = (j: Job) => j.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type;

  it('creates a Job each minute and keeps three successful ones', async () => {
    await env.client.create(CRONJOBS, 'default', cronJob('tick', {}, '0'));
    // nothing before the first minute: the controller has looked at it
    await eventually(() => { expect(env.reconciles('default/tick')).toBeGreaterThanOrEqual(1); });
    expect(await jobs()).toHaveLength(0);
    clock.advance(30_000);
    for (let m = 1; m <= 4; m++) {
      if (m > 1) clock.advance(60_000);
      await eventually(async () => {
        const j = (await jobs()).find((x) => x.metadata?.name === `tick-${minute(m)}`);
        expect(j && finished(j)).toBe('Complete');
        const cj = await getCron('tick');
        expect(cj.status?.lastScheduleTime).toBe(new Date(minute(m) * 60_000).toISOString().replace('.000', ''));
        expect(cj.status?.active).toBeUndefined();
        expect(cj.status?.lastSuccessfulTime).toBeTruthy();
      });
    }
    await eventually(async () => expect(await jobNames()).toEqual([2, 3, 4].map((m) => `tick-${minute(m)}`)));
    const first = (await jobs())[0]!;
    expect(first.metadata?.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION]).toMatch(/^2026-01-01T00:0\d:00Z$/);
    expect(first.metadata?.labels?.['cron']).toBe('tick');
    expect(first.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'tick', controller: true });
    await eventually(async () => {
      const evs = await events();
      expect(evs.some((e) => e.reason === 'SuccessfulCreate' && e.message === `Created job tick-${minute(1)}`)).toBe(true);
      expect(evs.some((e) => e.reason === 'SawCompletedJob' && e.message === `Saw completed job: tick-${minute(1)}, condition: Complete`)).toBe(true);
      expect(evs.some((e) => e.reason === 'SuccessfulDelete' && e.message === `Deleted job tick-${minute(1)}`)).toBe(true);
    });
  });

  it('Forbid skips a run while the previous Job is active', async () => {
    await env.client.create(CRONJOBS, 'default', cronJob('solo', { concurrencyPolicy: 'Forbid' }));
    clock.advance(30_000);
    await eventually(async () => {
      expect(await jobNames()).toEqual([`solo-${minute(1)}`]);
      expect((await getCron('solo')).status?.active?.map((r) => r.name)).toEqual([`solo-${minute(1)}`]);
    });
    clock.advance(60_000);
    await eventually(async () => {
      expect((await events()).some((e) => e.reason === 'JobAlreadyActive')).toBe(true);
    });
    expect(await jobNames()).toEqual([`solo-${minute(1)}`]);
  });

  it('Replace deletes the running Job for the new one', async () => {
    await env.client.create(CRONJOBS, 'default', cronJob('swap', { concurrencyPolicy: 'Replace' }));
    clock.advance(30_000);
    await eventually(async () => expect(await jobNames()).toEqual([`swap-${minute(1)}`]));
    clock.advance(60_000);
    await eventually(async () => {
      expect(await jobNames()).toEqual([`swap-${minute(2)}`]);
      expect((await getCron('swap')).status?.active?.map((r) => r.name)).toEqual([`swap-${minute(2)}`]);
    });
  });

  it('keeps one failed Job, and none while suspended', async () => {
    await env.client.create(CRONJOBS, 'default', cronJob('flaky', {}, '1', 0));
    clock.advance(30_000);
    await eventually(async () => {
      const [j] = await jobs();
      expect(j && finished(j)).toBe('Failed');
    });
    clock.advance(60_000);
    await eventually(async () => {
      const js = await jobs();
      expect(js.map((j) => j.metadata?.name)).toEqual([`flaky-${minute(2)}`]);
      expect(finished(js[0]!)).toBe('Failed');
    });
    await env.client.patch(CRONJOBS, 'default', 'flaky', 'merge', { spec: { suspend: true } });
    let pokes = 0;
    const poke = () => env.client.patch(CRONJOBS, 'default', 'flaky', 'merge', { metadata: { annotations: { 'test/poke': String(++pokes) } } });
    await env.nextReconcile('default/flaky', poke); // it has seen suspend
    clock.advance(60_000);
    await env.nextReconcile('default/flaky', poke); // and looked again a minute later
    expect(await jobNames()).toEqual([`flaky-${minute(2)}`]);
  });
});
