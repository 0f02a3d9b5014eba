import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { SERVICE_ACCOUNT_MOUNT_PATH, apiAccessVolumeSource, mountApiAccess, randomSuffix } from './api-access-volume.js';

const pod = (spec: Partial<Pod['spec']> = {}): Pod => ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } });
const fixed = (...names: string[]) => () => names.shift() ?? 'zzzzz';

describe('apiAccessVolumeSource', () => {
  it('is upstream token + root CA + namespace, mode 0644', () => {
    expect(apiAccessVolumeSource()).toEqual({
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    });
  });
});

describe('randomSuffix', () => {
  it('is 5 characters of upstream alphabet', () => {
    for (let i = 0; i < 50; i++) expect(randomSuffix()).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});

describe('mountApiAccess', () => {
  it('adds one volume and a read-only mount to every container and init container', () => {
    const p = pod({ initContainers: [{ name: 'init', image: 'i' }], containers: [{ name: 'a', image: 'i' }, { name: 'b', image: 'i', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] });
    mountApiAccess(p, fixed('abcde'));
    expect(p.spec?.volumes).toEqual([{ name: 'kube-api-access-abcde', projected: apiAccessVolumeSource() }]);
    const mount = { name: 'kube-api-access-abcde', readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH };
    expect(p.spec?.initContainers?.[0]?.volumeMounts).toEqual([mount]);
    expect(p.spec?.containers[0]?.volumeMounts).toEqual([mount]);
    expect(p.spec?.containers[1]?.volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }, mount]);
  });

  it('leaves containers that mount something at the path alone; no volume when none needs it', () => {
    const own = { name: 'mine', mountPath: SERVICE_ACCOUNT_MOUNT_PATH };
    const p = pod({ containers: [{ name: 'a', image: 'i', volumeMounts: [own] }], volumes: [{ name: 'mine', emptyDir: {} }] });
    mountApiAccess(p, fixed('abcde'));
    expect(p.spec?.containers[0]?.volumeMounts).toEqual([own]);
    expect(p.spec?.volumes).toEqual([{ name: 'mine', emptyDir: {} }]);
  });

  it('reuses a kube-api-access-* volume the pod already has', () => {
    const p = pod({ volumes: [{ name: 'kube-api-access-xyz', projected: { sources: [] } }] });
    mountApiAccess(p, fixed('abcde'));
    expect(p.spec?.volumes).toHaveLength(1);
    expect(p.spec?.containers[0]?.volumeMounts?.[0]?.name).toBe('kube-api-access-xyz');
  });

  it('appends the volume after the pod\'s own', () => {
    const p = pod({ volumes: [{ name: 'other', emptyDir: {} }] });
    mountApiAccess(p, fixed('aaaaa'));
    expect(p.spec?.volumes?.map((v) => v.name)).toEqual(['other', 'kube-api-access-aaaaa']);
  });
});
