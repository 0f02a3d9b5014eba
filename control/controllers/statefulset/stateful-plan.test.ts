import { describe, expect, it } from 'vitest';
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { planStatefulSet } from './stateful-plan.js';
import type { StatefulPlanInput } from './stateful-plan.js';
import { newStatefulPod } from './stateful-pod.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function sts(extra: Partial<NonNullable<StatefulSet['spec']>> = {}, image = 'web:1'): StatefulSet {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default', uid: 'set-uid', generation: 1 },
    spec: {
      replicas: 3, serviceName: 'db', podManagementPolicy: 'OrderedReady',
      selector: { matchLabels: { app: 'db' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image }] } },
      ...extra,
    },
  };
}

/** A pod of the set at `rev`, in a phase, ready or not. */
function pod(set: StatefulSet, ordinal: number, rev: string, state: 'ready' | 'pending' | 'running' | 'failed' | 'terminating' = 'ready'): Pod {
  const p = newStatefulPod(set, ordinal, rev);
  const phase = state === 'ready' || state === 'running' || state === 'terminating' ? 'Running' : state === 'failed' ? 'Failed' : 'Pending';
  return {
    ...p,
    metadata: { ...p.metadata, uid: `pod-${ordinal}`, ...(state === 'terminating' ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    status: { phase, conditions: [{ type: 'Ready', status: state === 'ready' || state === 'terminating' ? 'True' : 'False' }] },
  };
}

function input(set: StatefulSet, pods: Pod[], o: Partial<StatefulPlanInput> = {}): StatefulPlanInput {
  return {
    set, currentSet: o.currentSet ?? set, updateSet: o.updateSet ?? set, currentRevision: 'db-r1', updateRevision: 'db-r1',
    collisionCount: 0, pods, claims: new Map(), nowMs: NOW, ...o,
  };
}

const summary = (i: StatefulPlanInput): string[] => planStatefulSet(i).actions.map((a) => `${a.kind} ${a.kind === 'updateClaimOwners' ? a.claim.metadata?.name : a.pod.metadata?.name}`);

describe('planStatefulSet: OrderedReady', () => {
  it('creates db-0 first and nothing more until it is Running and Ready', () => {
    const set = sts();
    expect(summary(input(set, []))).toEqual(['createPod db-0']);
    expect(summary(input(set, [pod(set, 0, 'db-r1', 'pending')]))).toEqual([]);
    expect(summary(input(set, [pod(set, 0, 'db-r1', 'running')]))).toEqual([]);
    expect(summary(input(set, [pod(set, 0, 'db-r1')]))).toEqual(['createPod db-1']);
    expect(summary(input(set, [pod(set, 0, 'db-r1'), pod(set, 1, 'db-r1')]))).toEqual(['createPod db-2']);
  });

  it('gives the pod its identity: name, labels, hostname, subdomain, owner', () => {
    const set = sts();
    const a = planStatefulSet(input(set, [])).actions[0]!;
    expect(a.kind).toBe('createPod');
    expect(a.pod.metadata?.labels).toEqual({
      app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0', 'apps.kubernetes.io/pod-index': '0', 'controller-revision-hash': 'db-r1',
    });
    expect(a.pod.spec).toMatchObject({ hostname: 'db-0', subdomain: 'db' });
    expect(a.pod.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'set-uid', controller: true, blockOwnerDeletion: true }]);
  });

  it('scales down from the highest ordinal, one at a time, waiting for termination', () => {
    const set = sts({ replicas: 1 });
    const all = [pod(set, 0, 'db-r1'), pod(set, 1, 'db-r1'), pod(set, 2, 'db-r1')];
    expect(summary(input(set, all))).toEqual(['deletePod db-2']);
    expect(summary(input(set, [all[0]!, all[1]!, pod(set, 2, 'db-r1', 'terminating')]))).toEqual([]);
    expect(summary(input(set, [all[0]!, all[1]!]))).toEqual(['deletePod db-1']);
  });

  it('an unhealthy condemned pod waits unless it is the first unhealthy one', () => {
    const set = sts({ replicas: 1 });
    expect(summary(input(set, [pod(set, 0, 'db-r1'), pod(set, 1, 'db-r1', 'running'), pod(set, 2, 'db-r1', 'running')]))).toEqual([]);
    expect(summary(input(set, [pod(set, 0, 'db-r1'), pod(set, 1, 'db-r1', 'running'), pod(set, 2, 'db-r1')]))).toEqual(['deletePod db-2']);
    expect(summary(input(set, [pod(set, 0, 'db-r1'), pod(set, 1, 'db-r1'), pod(set, 2, 'db-r1', 'running')]))).toEqual(['deletePod db-2']);
  });

  it('replaces a failed pod before going further', () => {
    const set = sts();
    expect(summary(input(set, [pod(set, 0, 'db-r1', 'failed')]))).toEqual(['deletePod db-0']);
  });

  it('counts status like upstream', () => {
    const set = sts();
    const plan = planStatefulSet(input(set, [pod(set, 0, 'db-r1'), pod(set, 1, 'db-r1', 'running')]));
    expect(plan.status).toMatchObject({ replicas: 2, readyReplicas: 1, availableReplicas: 1, currentReplicas: 2, updatedReplicas: 2, currentRevision: 'db-r1', updateRevision: 'db-r1', observedGeneration: 1, collisionCount: 0 });
  });
});

describe('planStatefulSet: Parallel', () => {
  it('creates every missing pod at once and deletes every condemned pod at once', () => {
    const set = sts({ podManagementPolicy: 'Parallel' });
    expect(summary(input(set, []))).toEqual(['createPod db-0', 'createPod db-1', 'createPod db-2']);
    const down = sts({ podManagementPolicy: 'Parallel', replicas: 1 });
    expect(summary(input(down, [pod(set, 0, 'db-r1', 'pending'), pod(set, 1, 'db-r1', 'running'), pod(set, 2, 'db-r1')])))
      .toEqual(['deletePod db-2', 'deletePod db-1']);
  });
});

describe('planStatefulSet: rolling update', () => {
  const old = sts();
  const next = sts({}, 'web:2');
  const o = { currentSet: old, updateSet: next, currentRevision: 'db-r1', updateRevision: 'db-r2' };

  it('deletes the highest ordinal first and waits for its replacement to be healthy', () => {
    const pods = [pod(old, 0, 'db-r1'), pod(old, 1, 'db-r1'), pod(old, 2, 'db-r1')];
    const plan = planStatefulSet(input(next, pods, o));
    expect(plan.actions.map((a) => `${a.kind} ${a.pod.metadata?.name}`)).toEqual(['deletePod db-2']);
    expect(plan.status).toMatchObject({ currentReplicas: 2, updatedReplicas: 0, currentRevision: 'db-r1', updateRevision: 'db-r2' });
    // db-2 recreated at the update revision
    const recreate = planStatefulSet(input(next, pods.slice(0, 2), o));
    expect(recreate.actions[0]).toMatchObject({ kind: 'createPod' });
    expect(recreate.actions[0]!.pod.metadata?.labels?.['controller-revision-hash']).toBe('db-r2');
    expect(recreate.actions[0]!.pod.spec?.containers[0]?.image).toBe('web:2');
    // the new db-2 not ready yet: wait
    expect(summary(input(next, [...pods.slice(0, 2), pod(next, 2, 'db-r2', 'running')], o))).toEqual([]);
    // ready: db-1 next
    expect(summary(input(next, [...pods.slice(0, 2), pod(next, 2, 'db-r2')], o))).toEqual(['deletePod db-1']);
  });

  it('completes: every pod updated and ready makes the update revision current', () => {
    const plan = planStatefulSet(input(next, [pod(next, 0, 'db-r2'), pod(next, 1, 'db-r2'), pod(next, 2, 'db-r2')], o));
    expect(plan.actions).toEqual([]);
    expect(plan.status).toMatchObject({ currentRevision: 'db-r2', updateRevision: 'db-r2', currentReplicas: 3, updatedReplicas: 3 });
  });

  it('stops at the partition, and pods below it are recreated at the current revision', () => {
    const parted = sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }, 'web:2');
    const po = { ...o, currentSet: sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }) };
    expect(summary(input(parted, [pod(old, 0, 'db-r1'), pod(old, 1, 'db-r1'), pod(next, 2, 'db-r2')], po))).toEqual([]);
    const plan = planStatefulSet(input(parted, [pod(old, 1, 'db-r1'), pod(next, 2, 'db-r2')], po));
    expect(plan.actions[0]!.pod.metadata?.labels?.['controller-revision-hash']).toBe('db-r1');
    expect(plan.actions[0]!.pod.spec?.containers[0]?.image).toBe('web:1');
  });

  it('OnDelete deletes nothing for an update, and a deleted pod comes back new', () => {
    const od = sts({ updateStrategy: { type: 'OnDelete' } }, 'web:2');
    const oo = { ...o, currentSet: sts({ updateStrategy: { type: 'OnDelete' } }) };
    expect(summary(input(od, [pod(old, 0, 'db-r1'), pod(old, 1, 'db-r1'), pod(old, 2, 'db-r1')], oo))).toEqual([]);
    const plan = planStatefulSet(input(od, [pod(old, 0, 'db-r1'), pod(old, 2, 'db-r1')], oo));
    expect(plan.actions[0]!.pod.metadata?.name).toBe('db-1');
    expect(plan.actions[0]!.pod.spec?.containers[0]?.image).toBe('web:2');
  });
});

describe('planStatefulSet: claims', () => {
  const tmpl = { metadata: { name: 'www', labels: { tier: 'data' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };

  it('creates the claims with the pod, mounts them, and keeps them on scale down', () => {
    const set = sts({ volumeClaimTemplates: [tmpl], template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'web:1' }], volumes: [{ name: 'www', emptyDir: {} }, { name: 'cfg', emptyDir: {} }] } } });
    const a = planStatefulSet(input(set, [])).actions[0]!;
    expect(a.kind).toBe('createPod');
    if (a.kind !== 'createPod') return;
    expect(a.claims.map((c) => c.metadata?.name)).toEqual(['www-db-0']);
    expect(a.claims[0]!.metadata?.labels).toEqual({ tier: 'data', app: 'db' });
    expect(a.claims[0]!.metadata?.ownerReferences).toBeUndefined();
    expect(a.pod.spec?.volumes).toEqual([{ name: 'www', persistentVolumeClaim: { claimName: 'www-db-0' } }, { name: 'cfg', emptyDir: {} }]);
    // an existing claim is reused
    const claims = new Map<string, PersistentVolumeClaim>([['www-db-0', { metadata: { name: 'www-db-0', namespace: 'default' } }]]);
    const again = planStatefulSet(input(set, [], { claims })).actions[0]!;
    expect(again.kind === 'createPod' && again.claims).toEqual([]);
    // scale down deletes the pod, nothing else
    const down = sts({ ...set.spec!, replicas: 1 });
    const withClaims = new Map<string, PersistentVolumeClaim>([0, 1].map((n) => [`www-db-${n}`, { metadata: { name: `www-db-${n}`, namespace: 'default' } }]));
    expect(summary(input(down, [pod(set, 0, 'db-r1'), pod(set, 1, 'db-r1')], { claims: withClaims }))).toEqual(['deletePod db-1']);
  });

  it('whenDeleted=Delete: claims are created owned by the set', () => {
    const set = sts({ volumeClaimTemplates: [tmpl], persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } });
    const a = planStatefulSet(input(set, [])).actions[0]!;
    expect(a.kind === 'createPod' && a.claims[0]!.metadata?.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'set-uid', controller: true, blockOwnerDeletion: true },
    ]);
  });

  it('whenScaled=Delete: a condemned pod becomes its claim\'s owner before it is deleted', () => {
    const set = sts({ replicas: 1, volumeClaimTemplates: [tmpl], persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } });
    const claims = new Map<string, PersistentVolumeClaim>([0, 1].map((n) => [`www-db-${n}`, { metadata: { name: `www-db-${n}`, namespace: 'default' } }]));
    const plan = planStatefulSet(input(set, [pod(set, 0, 'db-r1'), pod(set, 1, 'db-r1')], { claims }));
    expect(plan.actions.map((a) => a.kind)).toEqual(['updateClaimOwners', 'deletePod']);
    const u = plan.actions[0]!;
    expect(u.kind === 'updateClaimOwners' && u.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: 'db-1', uid: 'pod-1', controller: true, blockOwnerDeletion: true }]);
  });

  it('a claim still owned by an earlier pod of the same name blocks the new pod', () => {
    const set = sts({ volumeClaimTemplates: [tmpl], persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } });
    const claims = new Map<string, PersistentVolumeClaim>([['www-db-0', { metadata: { name: 'www-db-0', ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'db-0', uid: 'old-uid', controller: true }] } }]]);
    expect(summary(input(set, [], { claims }))).toEqual([]);
  });
});
