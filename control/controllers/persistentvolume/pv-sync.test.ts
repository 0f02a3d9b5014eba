import { describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { RestClient } from '../../client/rest-client.js';
import type { EventRecorder } from '../../client/events.js';
import { syncClaim } from './claim-sync.js';
import { syncVolume } from './volume-sync.js';
import type { PvEnv, PvObj, PvcObj } from './pv-env.js';

interface Call { verb: string; resource: string; name: string; body?: unknown; sub?: string }

function fakeEnv(o: { pvs?: PvObj[]; pvcs?: PvcObj[]; classes?: StorageClass[]; nodes?: Node[]; pods?: Pod[] }) {
  const calls: Call[] = [];
  const events: string[] = [];
  const client = {
    patch: async (ri: { resource: string }, _ns: string | undefined, name: string, _t: string, body: unknown, opts?: { subresource?: string }) => {
      calls.push({ verb: 'patch', resource: ri.resource, name, body, ...(opts?.subresource ? { sub: opts.subresource } : {}) });
      return {};
    },
    create: async (ri: { resource: string }, _ns: string | undefined, obj: PvObj) => { calls.push({ verb: 'create', resource: ri.resource, name: obj.metadata?.name ?? '', body: obj }); return obj; },
    delete: async (ri: { resource: string }, _ns: string | undefined, name: string) => { calls.push({ verb: 'delete', resource: ri.resource, name }); },
  } as unknown as RestClient;
  const recorder = { event: (_o: unknown, type: string, reason: string, msg: string) => events.push(`${type} ${reason} ${msg}`) } as unknown as EventRecorder;
  const key = (c: PvcObj) => `${c.metadata?.namespace}/${c.metadata?.name}`;
  const env: PvEnv = {
    client, recorder, log: pino({ level: 'silent' }),
    volume: (n) => o.pvs?.find((v) => v.metadata?.name === n),
    volumes: () => o.pvs ?? [],
    claim: (k) => o.pvcs?.find((c) => key(c) === k),
    fetchClaim: async (ns, n) => o.pvcs?.find((c) => key(c) === `${ns}/${n}`),
    storageClass: (n) => o.classes?.find((c) => c.metadata?.name === n),
    node: (n) => o.nodes?.find((x) => x.metadata?.name === n),
    pods: (ns) => (o.pods ?? []).filter((p) => p.metadata?.namespace === ns),
  };
  return { env, calls, events };
}

const claim = (o: { name?: string; cls?: string; ann?: Record<string, string>; volumeName?: string; phase?: string; deleting?: boolean } = {}): PvcObj => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim',
  metadata: {
    name: o.name ?? 'c', namespace: 'ns', uid: 'uc', resourceVersion: '5', finalizers: ['kubernetes.io/pvc-protection'],
    ...(o.ann ? { annotations: o.ann } : {}), ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
  },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...(o.cls !== undefined ? { storageClassName: o.cls } : {}), ...(o.volumeName ? { volumeName: o.volumeName } : {}) },
  status: { phase: o.phase ?? 'Pending' },
});
const volume = (o: { name?: string; ref?: { name: string; uid?: string }; phase?: string; policy?: string; ann?: Record<string, string>; deleting?: boolean } = {}): PvObj => ({
  apiVersion: 'v1', kind: 'PersistentVolume',
  metadata: {
    name: o.name ?? 'v', uid: 'uv', resourceVersion: '3', finalizers: ['kubernetes.io/pv-protection'], ...(o.ann ? { annotations: o.ann } : {}),
    ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
  },
  spec: {
    capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: o.policy ?? 'Retain', hostPath: { path: '/x' },
    ...(o.ref ? { claimRef: { namespace: 'ns', name: o.ref.name, ...(o.ref.uid ? { uid: o.ref.uid } : {}) } } : {}),
  },
  status: { phase: o.phase ?? 'Available' },
});
const wffc: StorageClass = { metadata: { name: 'local-path' }, provisioner: 'tinykube.io/local-path', volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Delete' };

describe('claim sync', () => {
  it('binds an unbound claim in steps: the volume claimRef, then the claim volumeName and annotations, then Bound', async () => {
    const a = fakeEnv({ pvcs: [claim()], pvs: [volume()] });
    await syncClaim(a.env, 'ns/c');
    expect(a.calls).toEqual([expect.objectContaining({ resource: 'persistentvolumes', name: 'v', body: expect.objectContaining({ spec: { claimRef: expect.objectContaining({ name: 'c', uid: 'uc' }) } }) })]);
    expect((a.calls[0]?.body as { metadata: { annotations: Record<string, string> } }).metadata.annotations).toEqual({ 'pv.kubernetes.io/bound-by-controller': 'yes' });

    const b = fakeEnv({ pvcs: [claim()], pvs: [volume({ ref: { name: 'c', uid: 'uc' } })] });
    await syncClaim(b.env, 'ns/c');
    expect(b.calls.map((c) => `${c.resource}${c.sub ? '/' + c.sub : ''}`)).toEqual(['persistentvolumes/status', 'persistentvolumeclaims']);
    expect(b.calls[1]?.body).toMatchObject({ metadata: { annotations: { 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' } }, spec: { volumeName: 'v' } });

    const c = fakeEnv({ pvcs: [claim({ volumeName: 'v', ann: { 'pv.kubernetes.io/bind-completed': 'yes' } })], pvs: [volume({ ref: { name: 'c', uid: 'uc' }, phase: 'Bound' })] });
    await syncClaim(c.env, 'ns/c');
    expect(c.calls).toEqual([expect.objectContaining({ sub: 'status', body: { status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } } })]);
  });

  it('a bound claim whose volume is gone is Lost', async () => {
    const a = fakeEnv({ pvcs: [claim({ volumeName: 'gone', phase: 'Bound', ann: { 'pv.kubernetes.io/bind-completed': 'yes' } })] });
    await syncClaim(a.env, 'ns/c');
    expect(a.calls[0]?.body).toEqual({ status: { phase: 'Lost' } });
    expect(a.events[0]).toContain('ClaimLost');
  });

  it('WaitForFirstConsumer waits for a selected node, then provisions pvc-<uid> after naming the provisioner', async () => {
    const node: Node = { metadata: { name: 'n1', annotations: { 'tinykube.io/local-path-root': '/data/storage' } } };
    const a = fakeEnv({ pvcs: [claim({ cls: 'local-path' })], classes: [wffc], nodes: [node] });
    await syncClaim(a.env, 'ns/c');
    expect(a.events).toEqual(['Normal WaitForFirstConsumer waiting for first consumer to be created before binding']);
    expect(a.calls.filter((c) => c.verb === 'create')).toEqual([]);

    const b = fakeEnv({ pvcs: [claim({ cls: 'local-path', ann: { 'volume.kubernetes.io/selected-node': 'n1' } })], classes: [wffc], nodes: [node] });
    await syncClaim(b.env, 'ns/c');
    expect(b.calls.at(-1)?.body).toEqual({ metadata: { annotations: { 'volume.kubernetes.io/storage-provisioner': 'tinykube.io/local-path', 'volume.beta.kubernetes.io/storage-provisioner': 'tinykube.io/local-path' } } });

    const ann = { 'volume.kubernetes.io/selected-node': 'n1', 'volume.kubernetes.io/storage-provisioner': 'tinykube.io/local-path' };
    const c = fakeEnv({ pvcs: [claim({ cls: 'local-path', ann })], classes: [wffc], nodes: [node] });
    await syncClaim(c.env, 'ns/c');
    const created = c.calls.find((x) => x.verb === 'create');
    expect(created?.name).toBe('pvc-uc');
    expect(created?.body).toMatchObject({ spec: { local: { path: '/data/storage/pvc-uc' }, persistentVolumeReclaimPolicy: 'Delete' } });
    expect(c.events.at(-1)).toContain('ProvisioningSucceeded');
  });

  it('an unknown class stays Pending with the upstream event; no class and no volume says so', async () => {
    const a = fakeEnv({ pvcs: [claim({ cls: 'x' })] });
    await syncClaim(a.env, 'ns/c');
    expect(a.events).toEqual(['Warning ProvisioningFailed storageclass.storage.k8s.io "x" not found']);
    const b = fakeEnv({ pvcs: [claim({ cls: '' })] });
    await syncClaim(b.env, 'ns/c');
    expect(b.events[0]).toContain('no storage class is set');
  });

  it('a deleted claim keeps its finalizer while a running pod uses it', async () => {
    const pod: Pod = { metadata: { name: 'p', namespace: 'ns' }, spec: { nodeName: 'n1', containers: [], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'c' } }] }, status: { phase: 'Running' } };
    const a = fakeEnv({ pvcs: [claim({ deleting: true })], pods: [pod] });
    await syncClaim(a.env, 'ns/c');
    expect(a.calls).toEqual([]);
    const b = fakeEnv({ pvcs: [claim({ deleting: true })], pods: [{ ...pod, status: { phase: 'Succeeded' } }] });
    await syncClaim(b.env, 'ns/c');
    expect(b.calls[0]?.body).toEqual([expect.objectContaining({ op: 'test' }), { op: 'replace', path: '/metadata/finalizers', value: [] }]);
  });
});

describe('volume sync', () => {
  it('Available without a claim, Bound with its claim, Released once the claim is gone', async () => {
    const a = fakeEnv({ pvs: [volume({ phase: 'Pending' })] });
    await syncVolume(a.env, 'v');
    expect(a.calls[0]?.body).toMatchObject({ status: { phase: 'Available' } });
    const b = fakeEnv({ pvs: [volume({ ref: { name: 'c', uid: 'uc' } })], pvcs: [claim({ volumeName: 'v' })] });
    await syncVolume(b.env, 'v');
    expect(b.calls[0]?.body).toMatchObject({ status: { phase: 'Bound' } });
    const c = fakeEnv({ pvs: [volume({ ref: { name: 'c', uid: 'uc' }, phase: 'Bound' })] });
    await syncVolume(c.env, 'v');
    expect(c.calls[0]?.body).toMatchObject({ status: { phase: 'Released' } });
  });

  it.each([
    ['Retain keeps a released volume', 'Retain', {}, []],
    ['Delete deletes a provisioned one', 'Delete', { 'pv.kubernetes.io/provisioned-by': 'tinykube.io/local-path' }, ['delete']],
    ['Delete fails a static one', 'Delete', {}, ['patch']],
  ])('%s', async (_n, policy, ann, verbs) => {
    const a = fakeEnv({ pvs: [volume({ ref: { name: 'c', uid: 'uc' }, phase: 'Released', policy, ann })] });
    await syncVolume(a.env, 'v');
    expect(a.calls.map((c) => c.verb)).toEqual(verbs);
    if (verbs[0] === 'patch') expect(a.calls[0]?.body).toMatchObject({ status: { phase: 'Failed' } });
  });

  it('keeps pv-protection while Bound, drops it once a deleted volume is not', async () => {
    const a = fakeEnv({ pvs: [volume({ deleting: true, phase: 'Bound', ref: { name: 'c', uid: 'uc' } })], pvcs: [claim({ volumeName: 'v' })] });
    await syncVolume(a.env, 'v');
    expect(a.calls.some((c) => Array.isArray(c.body))).toBe(false);
    const b = fakeEnv({ pvs: [volume({ deleting: true, phase: 'Released', ref: { name: 'c', uid: 'uc' } })] });
    await syncVolume(b.env, 'v');
    expect(b.calls[0]?.body).toEqual([expect.objectContaining({ op: 'test' }), { op: 'replace', path: '/metadata/finalizers', value: [] }]);
  });
});
