import { describe, expect, it } from 'vitest';
import { validate } from './validate.js';

const rq = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'ns' }, spec });
const msgs = (o: Record<string, unknown>, old?: Record<string, unknown>) => validate('ResourceQuota', o, old).map((e) => `${e.field}: ${e.message}`);

describe('ResourceQuota and LimitRange validation', () => {
  it('accepts upstream test quotas', () => {
    expect(msgs(rq({ hard: { pods: '5', 'requests.cpu': '1', 'count/replicasets.apps': '5', 'requests.example.com/dongle': '3', 'services.nodeports': '1' } }))).toEqual([]);
  });

  it('refuses non-standard names, negatives, fractions of counts, scope misuse and scope changes', () => {
    expect(msgs(rq({ hard: { widgets: '1', pods: '-1', secrets: '1.5' } }))).toEqual([
      'spec.hard[widgets]: Invalid value: "widgets": must be a standard resource for quota',
      'spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0',
      'spec.hard[secrets]: Invalid value: "1.5": must be an integer',
    ]);
    expect(msgs(rq({ hard: { 'requests.cpu': '1' }, scopes: ['BestEffort', 'NotBestEffort'] }))).toContain('spec.hard: Invalid value: "requests.cpu": unsupported scope applied to resource');
    expect(msgs(rq({ hard: { pods: '1' }, scopes: ['Terminating', 'NotTerminating'] }))).toContain('spec.scopes: Invalid value: []string{"Terminating", "NotTerminating"}: conflicting scopes');
    const old = { ...rq({ hard: { pods: '1' }, scopes: ['Terminating'] }), metadata: { name: 'q', namespace: 'ns', resourceVersion: '1' } };
    const next = { ...rq({ hard: { pods: '1' }, scopes: ['NotTerminating'] }), metadata: { name: 'q', namespace: 'ns', resourceVersion: '1' } };
    expect(msgs(next, old)).toContain('spec.scopes: Invalid value: []string{"NotTerminating"}: field is immutable');
  });

  it('refuses a LimitRange whose min is above its max or defaults on a Pod item', () => {
    const lr = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'l', namespace: 'ns' }, spec: { limits: [
      { type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }, { type: 'Pod', default: { cpu: '1' } },
    ] } };
    expect(validate('LimitRange', lr).map((e) => `${e.field}: ${e.message}`)).toEqual([
      'spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1',
      "spec.limits[1].default: Forbidden: may not be specified when `type` is 'Pod'",
    ]);
  });
});
