import type { LimitRange, Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import type { AdmissionAttributes } from './admission.js';
import { defaultLimitRangeItem } from '../../api/defaults/limitrange.js';
import { LIMIT_RANGER_ANNOTATION, admitLimitRange } from './limit-range-admission.js';

const PODS = findResource('', 'v1', 'pods')!;
const res = (cpu: string, memory: string) => ({ cpu, memory });
/** The LimitRange of upstream's "[sig-scheduling] LimitRange … defaults" spec (without ephemeral storage). */
const range: LimitRange = {
  metadata: { name: 'limit-range', namespace: 'ns' },
  spec: { limits: [{ type: 'Container', min: res('50m', '100Mi'), max: res('500m', '500Mi'), default: res('500m', '500Mi'), defaultRequest: res('100m', '200Mi') }] },
};
const attrs = (ranges: LimitRange[]): AdmissionAttributes => ({
  operation: 'CREATE', ri: PODS, namespace: 'ns', dryRun: false, get: async () => undefined,
  list: async () => ranges as KubeObject[], update: async (_r, o) => o,
});
const pod = (resources?: { requests?: Record<string, string>; limits?: Record<string, string> }): Pod & KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' },
  spec: { containers: [{ name: 'c', image: 'i', ...(resources ? { resources } : {}) }] },
});

describe('LimitRange admission', () => {
  it('gives a container without resources the defaults and notes it', async () => {
    const p = pod();
    await admitLimitRange(p, attrs([range]));
    expect(p.spec?.containers[0]?.resources).toEqual({ limits: res('500m', '500Mi'), requests: res('100m', '200Mi') });
    expect(p.metadata?.annotations?.[LIMIT_RANGER_ANNOTATION]).toBe('LimitRanger plugin set: cpu, memory request for container c; cpu, memory limit for container c');
  });

  it('keeps what the pod states and fills the rest', async () => {
    const p = pod({ requests: res('300m', '150Mi'), limits: { cpu: '300m' } });
    await admitLimitRange(p, attrs([range]));
    expect(p.spec?.containers[0]?.resources).toEqual({ requests: res('300m', '150Mi'), limits: res('300m', '500Mi') });
  });

  it('refuses below min and above max with upstream text', async () => {
    await expect(admitLimitRange(pod({ requests: res('10m', '100Mi') }), attrs([range]))).rejects.toMatchObject({
      code: 403, message: 'pods "p" is forbidden: minimum cpu usage per Container is 50m, but request is 10m',
    });
    await expect(admitLimitRange(pod({ requests: res('100m', '200Mi'), limits: res('600m', '600Mi') }), attrs([range]))).rejects.toMatchObject({
      message: 'pods "p" is forbidden: [maximum cpu usage per Container is 500m, but limit is 600m, maximum memory usage per Container is 500Mi, but limit is 600Mi]',
    });
    const ratio: LimitRange = { metadata: { name: 'r' }, spec: { limits: [{ type: 'Pod', maxLimitRequestRatio: { cpu: '2' } }] } };
    await expect(admitLimitRange(pod({ requests: { cpu: '100m' }, limits: { cpu: '300m' } }), attrs([ratio]))).rejects.toMatchObject({
      message: 'pods "p" is forbidden: cpu max limit to request ratio per Pod is 2, but provided ratio is 3.000000',
    });
  });

  it('defaults a Container item as the API does (stored that way): default from max, defaultRequest from default or min', () => {
    expect(defaultLimitRangeItem({ type: 'Container', max: { cpu: '1' }, min: { memory: '1Mi' } })).toEqual({
      type: 'Container', max: { cpu: '1' }, min: { memory: '1Mi' }, default: { cpu: '1' }, defaultRequest: { cpu: '1', memory: '1Mi' },
    });
  });
});
