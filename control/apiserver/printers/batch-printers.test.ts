import { describe, expect, it } from 'vitest';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from './kube-object.js';
import { cronJobPrinter, jobCompletions, jobDuration, jobPrinter, jobStatus } from './batch-printers.js';

const NOW = new Date('2024-01-01T12:00:00Z');
const asObj = (o: object): KubeObject => o as KubeObject;
const job = (j: Partial<Job>): Job => ({ metadata: { name: 'pi', creationTimestamp: '2024-01-01T11:55:00Z' }, ...j });
const cond = (type: string, status = 'True') => ({ type, status });

describe('job cells', () => {
  it.each<[string, Partial<Job>, string]>([
    ['running', {}, 'Running'],
    ['complete', { status: { conditions: [cond('Complete')] } }, 'Complete'],
    ['failed', { status: { conditions: [cond('Failed')] } }, 'Failed'],
    ['complete condition false', { status: { conditions: [cond('Complete', 'False')] } }, 'Running'],
    ['suspended', { status: { conditions: [cond('Suspended')] } }, 'Suspended'],
    ['failure target', { status: { conditions: [cond('FailureTarget')] } }, 'FailureTarget'],
    ['terminating beats suspended', { metadata: { name: 'pi', deletionTimestamp: '2024-01-01T12:00:00Z' }, status: { conditions: [cond('Suspended')] } }, 'Terminating'],
  ])('status %s', (_n, j, want) => {
    expect(jobStatus(job(j))).toBe(want);
  });

  it.each<[Job['spec'], number, string]>([
    [{ completions: 3, template: {} }, 1, '1/3'],
    [{ template: {} }, 0, '0/1'],
    [{ parallelism: 4, template: {} }, 2, '2/1 of 4'],
  ])('completions %j succeeded=%d -> %s', (spec, succeeded, want) => {
    expect(jobCompletions(job({ spec, status: { succeeded } }))).toBe(want);
  });

  it('duration is empty before start, elapsed while running, fixed once complete', () => {
    expect(jobDuration(job({}), NOW)).toBe('');
    expect(jobDuration(job({ status: { startTime: '2024-01-01T11:58:00Z' } }), NOW)).toBe('2m');
    expect(jobDuration(job({ status: { startTime: '2024-01-01T11:00:00Z', completionTime: '2024-01-01T11:00:07Z' } }), NOW)).toBe('7s');
  });

  it('prints a row with wide cells', () => {
    const j = job({
      spec: { completions: 1, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } }, template: { spec: { containers: [{ name: 'pi', image: 'perl' }] } } },
      status: { succeeded: 1, startTime: '2024-01-01T11:55:00Z', completionTime: '2024-01-01T11:55:30Z', conditions: [cond('Complete')] },
    });
    expect(jobPrinter.row(asObj(j), { now: NOW }).cells)
      .toEqual(['pi', 'Complete', '1/1', '30s', '5m', 'pi', 'perl', 'batch.kubernetes.io/controller-uid=u1']);
    expect(jobPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector']);
  });
});

describe('cronJobPrinter', () => {
  it('prints schedule, timezone, suspend, active, last schedule', () => {
    const cj: CronJob = {
      metadata: { name: 'hello', creationTimestamp: '2024-01-01T10:00:00Z' },
      spec: { schedule: '*/1 * * * *', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'hello', image: 'busybox' }] } } } } },
      status: { active: [{ name: 'hello-1' }], lastScheduleTime: '2024-01-01T11:59:00Z' },
    };
    expect(cronJobPrinter.row(asObj(cj), { now: NOW }).cells)
      .toEqual(['hello', '*/1 * * * *', '<none>', 'False', 1, '60s', '120m', 'hello', 'busybox', '<none>']);
  });
  it('prints <unset> suspend, <none> last schedule, and a time zone', () => {
    const cj: CronJob = { metadata: { name: 'x' }, spec: { schedule: '@daily', timeZone: 'Etc/UTC', jobTemplate: { spec: { template: {} } } } };
    expect(cronJobPrinter.row(asObj(cj), { now: NOW }).cells.slice(1, 6)).toEqual(['@daily', 'Etc/UTC', '<unset>', 0, '<none>']);
  });
  it('has upstream columns', () => {
    expect(cronJobPrinter.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'Name:string', 'Schedule:string', 'Timezone:string', 'Suspend:boolean', 'Active:integer', 'Last Schedule:string', 'Age:string',
      'Containers:string', 'Images:string', 'Selector:string',
    ]);
  });
});
