import type { Pod, ResourceQuota } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource, type ResourceInfo } from '../../api/resources.js';
import { conflict } from '../../api/status.js';
import type { AdmissionAttributes } from './admission.js';
import { admitResourceQuota } from './resource-quota-admission.js';

const PODS = findResource('', 'v1', 'pods')!;
const QUOTAS = findResource('', 'v1', 'resourcequotas')!;

/** Quotas kept in a map with resourceVersions, updated compare-and-swap as storage does. */
function quotaStore(quotas: ResourceQuota[], opts: { conflicts?: number } = {}) {
  const items = new Map(quotas.map((q, i) => [q.metadata?.name ?? '', { ...q, metadata: { ...q.metadata, resourceVersion: String(i + 1) } } as KubeObject]));
  let conflicts = opts.conflicts ?? 0;
  const attrs = (ri: ResourceInfo = PODS, dryRun = false): AdmissionAttributes => ({
    operation: 'CREATE', ri, namespace: 'ns', dryRun, get: async () => undefined,
    list: async (r) => (r === QUOTAS ? [...items.values()].map((o) => structuredClone(o)) : []),
    update: async (r, o) => {
      const cur = items.get(o.metadata?.name ?? '')!;
      if (conflicts > 0 || cur.metadata?.resourceVersion !== o.metadata?.resourceVersion) {
        conflicts--;
        cur.metadata = { ...cur.metadata, resourceVersion: String(Number(cur.metadata?.resourceVersion) + 100) };
        throw conflict(r, o.metadata?.name ?? '');
      }
      const next = { ...structuredClone(o), metadata: { ...o.metadata, resourceVersion: String(Number(o.metadata?.resourceVersion) + 1) } };
      items.set(o.metadata?.name ?? '', next);
      return next;
    },
  });
  return { attrs, used: (name: string) => (items.get(name) as ResourceQuota).status?.used };
}

const quota = (name: string, hard: Record<string, string>, used: Record<string, string>, scopes?: string[]): ResourceQuota => ({
  metadata: { name, namespace: 'ns' }, spec: { hard, ...(scopes ? { scopes } : {}) }, status: { hard, used },
});
const pod = (name: string, requests?: Record<string, string>): Pod & KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns' },
  spec: { containers: [{ name: 'c', image: 'i', ...(requests ? { resources: { requests } } : {}) }] },
});

describe('ResourceQuota admission', () => {
  it('charges a fitting create and refuses the one that exceeds, with upstream text', async () => {
    const s = quotaStore([quota('q', { pods: '2', 'requests.cpu': '1' }, { pods: '0', 'requests.cpu': '0' })]);
    await admitResourceQuota(pod('a', { cpu: '500m' }), s.attrs());
    expect(s.used('q')).toEqual({ pods: '1', 'requests.cpu': '500m' });
    await expect(admitResourceQuota(pod('b', { cpu: '600m' }), s.attrs())).rejects.toMatchObject({
      code: 403, reason: 'Forbidden',
      message: 'pods "b" is forbidden: exceeded quota: q, requested: requests.cpu=600m, used: requests.cpu=500m, limited: requests.cpu=1',
    });
    expect(s.used('q')).toEqual({ pods: '1', 'requests.cpu': '500m' });
  });

  it('refuses a pod without the requests a quota tracks, and when usage is not known yet', async () => {
    const s = quotaStore([quota('q', { 'requests.memory': '1Gi', 'limits.cpu': '2' }, { 'requests.memory': '0', 'limits.cpu': '0' })]);
    await expect(admitResourceQuota(pod('a'), s.attrs())).rejects.toMatchObject({
      message: 'pods "a" is forbidden: failed quota: q: must specify limits.cpu,requests.memory',
    });
    const unknown = quotaStore([quota('u', { pods: '2' }, {})]);
    await expect(admitResourceQuota(pod('a'), unknown.attrs())).rejects.toMatchObject({ message: 'pods "a" is forbidden: status unknown for quota: u, resources: pods' });
  });

  it('retries on a conflict, counts scoped quotas only for matching pods, and charges nothing on dry run', async () => {
    const s = quotaStore([
      quota('best', { pods: '1' }, { pods: '0' }, ['BestEffort']),
      quota('notbest', { pods: '1' }, { pods: '0' }, ['NotBestEffort']),
    ], { conflicts: 1 });
    await admitResourceQuota(pod('dry'), s.attrs(PODS, true));
    expect(s.used('best')).toEqual({ pods: '0' });
    await admitResourceQuota(pod('a'), s.attrs());
    expect([s.used('best'), s.used('notbest')]).toEqual([{ pods: '1' }, { pods: '0' }]);
    await expect(admitResourceQuota(pod('b'), s.attrs())).rejects.toMatchObject({ code: 403 });
    await admitResourceQuota(pod('c', { cpu: '1' }), s.attrs());
    expect(s.used('notbest')).toEqual({ pods: '1' });
  });

  it('counts other kinds by count/<resource>.<group> and services by node ports', async () => {
    const s = quotaStore([quota('q', { 'count/replicasets.apps': '1', 'services.nodeports': '1' }, { 'count/replicasets.apps': '1', 'services.nodeports': '0' })]);
    await expect(admitResourceQuota({ metadata: { name: 'rs' } }, s.attrs(findResource('apps', 'v1', 'replicasets')!))).rejects.toMatchObject({
      message: 'replicasets.apps "rs" is forbidden: exceeded quota: q, requested: count/replicasets.apps=1, used: count/replicasets.apps=1, limited: count/replicasets.apps=1',
    });
    const svc = (type: string): KubeObject => ({ metadata: { name: type.toLowerCase() }, spec: { type, ports: [{ port: 80 }] } });
    await admitResourceQuota(svc('ClusterIP'), s.attrs(findResource('', 'v1', 'services')!));
    await admitResourceQuota(svc('NodePort'), s.attrs(findResource('', 'v1', 'services')!));
    await expect(admitResourceQuota(svc('LoadBalancer'), s.attrs(findResource('', 'v1', 'services')!))).rejects.toMatchObject({ code: 403 });
  });
});
