import { describe, expect, it } from 'vitest';
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { applyRevision, equalRevisions, fnv32, goJson, newRevision, revisionName } from './revisions.js';
import { claimOwnerRefs, claimOwnersUpToDate } from './claim-retention.js';

const set = (image: string, annotations?: Record<string, string>): StatefulSet => ({
  apiVersion: 'apps/v1', kind: 'StatefulSet',
  metadata: { name: 'db', namespace: 'default', uid: 'u1', ...(annotations ? { annotations } : {}) },
  spec: {
    serviceName: 'db', selector: { matchLabels: { app: 'db' } },
    template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image }] } },
  },
});

describe('revisions', () => {
  it('FNV-1 32 (multiply, then xor) as Go hash/fnv New32', () => {
    expect(fnv32('')).toBe(0x811c9dc5);
    expect(fnv32('a')).toBe(0x050c5d7e);
    expect(fnv32('foobar')).toBe(0x31f0b262);
  });

  it('data is the template as a $patch: replace strategic merge patch, marshalled with sorted keys as Go does', () => {
    const r = newRevision(set('web:1'), 1, 0);
    expect(r.data).toEqual({ spec: { template: { $patch: 'replace', metadata: { creationTimestamp: null, labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'web:1' }] } } } });
    expect(goJson(r.data)).toBe('{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"app":"db"}},"spec":{"containers":[{"image":"web:1","name":"c"}]}}}}');
    expect(goJson({ a: '<&>' })).toBe('{"a":"\\u003c\\u0026\\u003e"}');
  });

  it('is named <set>-<hash>, labelled with the template labels and the hash, owned by the set, with its annotations', () => {
    const r = newRevision(set('web:1', { 'kubernetes.io/change-cause': 'v1' }), 4, 0);
    const hash = r.metadata?.labels?.['controller-revision-hash'] ?? '';
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(r.metadata?.name).toBe(`db-${hash}`);
    expect(r.metadata?.labels?.['app']).toBe('db');
    expect(r.metadata?.annotations).toEqual({ 'kubernetes.io/change-cause': 'v1' });
    expect(r.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'StatefulSet', name: 'db', uid: 'u1', controller: true });
    expect(r.revision).toBe(4);
    // the hash depends on the template and on the collision count
    expect(newRevision(set('web:1'), 1, 0).metadata?.name).toBe(r.metadata?.name);
    expect(newRevision(set('web:2'), 1, 0).metadata?.name).not.toBe(r.metadata?.name);
    expect(newRevision(set('web:1'), 1, 1).metadata?.name).not.toBe(r.metadata?.name);
    expect(revisionName('x'.repeat(300), 'h')).toBe(`${'x'.repeat(223)}-h`);
  });

  it('applyRevision restores the template; equal data means equal revisions', () => {
    const r1 = newRevision(set('web:1'), 1, 0);
    const back = applyRevision(set('web:2'), r1);
    expect(back.spec?.template).toEqual(set('web:1').spec?.template);
    expect(equalRevisions(r1, newRevision(set('web:1'), 7, 3))).toBe(true);
    expect(equalRevisions(r1, newRevision(set('web:2'), 1, 0))).toBe(false);
  });
});

describe('claim retention ownerReferences', () => {
  const withPolicy = (whenDeleted: string, whenScaled: string, replicas = 2): StatefulSet => {
    const s = set('web:1');
    return { ...s, spec: { ...s.spec!, replicas, persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled } } };
  };
  const pod = (ordinal: number): Pod => ({ metadata: { name: `db-${ordinal}`, namespace: 'default', uid: `p${ordinal}` } });
  const claim = (refs: NonNullable<PersistentVolumeClaim['metadata']>['ownerReferences'] = []): PersistentVolumeClaim => ({ metadata: { name: 'www-db-1', ownerReferences: refs } });
  const owners = (s: StatefulSet, p: Pod, c = claim()) => claimOwnerRefs(c, s, p).map((r) => `${r.kind}/${r.name}`);

  it.each([
    ['Retain', 'Retain', 1, []],
    ['Delete', 'Retain', 1, ['StatefulSet/db']],
    ['Delete', 'Retain', 5, ['StatefulSet/db']],
    ['Retain', 'Delete', 1, []],
    ['Retain', 'Delete', 5, ['Pod/db-5']],
    ['Delete', 'Delete', 1, ['StatefulSet/db']],
    ['Delete', 'Delete', 5, ['Pod/db-5']],
  ])('whenDeleted=%s whenScaled=%s, ordinal %i (2 replicas): owners %j', (d, sc, ord, want) => {
    const s = withPolicy(d, sc);
    expect(owners(s, pod(ord))).toEqual(want);
    const c = claim(claimOwnerRefs(claim(), s, pod(ord)));
    expect(claimOwnersUpToDate(c, s, pod(ord))).toBe(true);
  });

  it('keeps references to others, replaces its own, and leaves claims of another controller alone', () => {
    const s = withPolicy('Delete', 'Retain');
    const other = { apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'cm' };
    expect(owners(s, pod(1), claim([other]))).toEqual(['ConfigMap/x', 'StatefulSet/db']);
    expect(claimOwnersUpToDate(claim([other]), s, pod(1))).toBe(false);
    const foreign = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r', uid: 'rs', controller: true };
    expect(claimOwnersUpToDate(claim([foreign]), s, pod(1))).toBe(true);
    expect(owners(s, pod(1), claim([foreign]))).toEqual(['ReplicaSet/r']);
    // a reference to an earlier set of the same name (another UID) is not touched
    const stale = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'old', controller: true };
    expect(claimOwnersUpToDate(claim([stale]), s, pod(1))).toBe(true);
  });
});
