import type { Pod, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import type { ResourceInfo } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { AdmissionAttributes } from './admission.js';
import { admitServiceAccount, podNamesSecrets } from './service-account-admission.js';

const PODS = findResource('', 'v1', 'pods')!;
const SAS: Record<string, ServiceAccount> = {
  'team/default': { metadata: { name: 'default', namespace: 'team' } },
  'team/quiet': { metadata: { name: 'quiet', namespace: 'team' }, automountServiceAccountToken: false },
  'team/puller': { metadata: { name: 'puller', namespace: 'team' }, imagePullSecrets: [{ name: 'registry' }] },
};
const attrs = (o: Partial<AdmissionAttributes> = {}): AdmissionAttributes => ({
  operation: 'CREATE', ri: PODS, namespace: 'team', name: 'p', dryRun: false,
  get: async (ri: ResourceInfo, ns, name) => (ri.resource === 'serviceaccounts' ? SAS[`${ns}/${name}`] as KubeObject | undefined : undefined),
  ...o,
});
const pod = (spec: Partial<Pod['spec']> = {}, annotations?: Record<string, string>): Pod & KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'team', ...(annotations ? { annotations } : {}) },
  spec: { containers: [{ name: 'c', image: 'i' }], ...spec },
});
let waits: number[] = [];
const io = { suffix: () => 'abcde', delay: async (ms: number) => { waits.push(ms); } };
const admit = async (p: Pod & KubeObject, a = attrs()) => { await admitServiceAccount(p, a, io); return p; };
const refusal = async (p: Pod & KubeObject, a = attrs()): Promise<string> => {
  try { await admit(p, a); } catch (err) { if (isApiError(err) && err.code === 403) return err.message; throw err; }
  throw new Error('admitted');
};

describe('admitServiceAccount', () => {
  it('runs the pod as default, keeps the alias, adds the API access volume and mount', async () => {
    const p = await admit(pod());
    expect(p.spec?.serviceAccountName).toBe('default');
    expect(p.spec?.serviceAccount).toBe('default');
    expect(p.spec?.volumes?.map((v) => v.name)).toEqual(['kube-api-access-abcde']);
    expect(p.spec?.containers[0]?.volumeMounts).toEqual([{ name: 'kube-api-access-abcde', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
  });

  it('refuses a ServiceAccount that does not exist with upstream words', async () => {
    waits = [];
    expect(await refusal(pod({ serviceAccountName: 'ghost' }))).toBe('pods "p" is forbidden: error looking up service account team/ghost: serviceaccount "ghost" not found');
    expect(await refusal(pod(), attrs({ namespace: 'empty' }))).toBe('pods "p" is forbidden: error looking up service account empty/default: serviceaccount "default" not found');
    expect(await refusal(pod(), attrs({ namespace: 'empty', name: undefined }))).toMatch(/^pods is forbidden: /);
    // only default is looked up again (10 times in all), the controller creating it any moment
    expect(waits).toHaveLength(18);
    for (const w of waits) expect(w >= 100 && w < 200).toBe(true);
  });

  it('finds default when it appears while the step waits', async () => {
    let calls = 0;
    const late = attrs({ namespace: 'fresh', get: async () => (++calls === 4 ? { metadata: { name: 'default', namespace: 'fresh' } } as KubeObject : undefined) });
    expect((await admit(pod(), late)).spec?.volumes).toHaveLength(1);
    expect(calls).toBe(4);
  });

  it('honours automountServiceAccountToken: the pod wins over the ServiceAccount', async () => {
    expect((await admit(pod({ automountServiceAccountToken: false }))).spec?.volumes).toBeUndefined();
    const quiet = await admit(pod({ serviceAccountName: 'quiet' }));
    expect(quiet.spec?.volumes).toBeUndefined();
    expect(quiet.spec?.containers[0]?.volumeMounts).toBeUndefined();
    expect((await admit(pod({ serviceAccountName: 'quiet', automountServiceAccountToken: true }))).spec?.volumes).toHaveLength(1);
  });

  it('gives the ServiceAccount\'s pull secrets to a pod without its own', async () => {
    expect((await admit(pod({ serviceAccountName: 'puller' }))).spec?.imagePullSecrets).toEqual([{ name: 'registry' }]);
    expect((await admit(pod({ serviceAccountName: 'puller', imagePullSecrets: [{ name: 'mine' }] }))).spec?.imagePullSecrets).toEqual([{ name: 'mine' }]);
  });

  it('changes no mirror pod, and refuses one naming a ServiceAccount, a Secret or a token projection', async () => {
    const mirror = { 'kubernetes.io/config.mirror': 'hash' };
    const p = await admit(pod({}, mirror), attrs({ namespace: 'empty' }));
    expect(p.spec?.serviceAccountName).toBeUndefined();
    expect(p.spec?.volumes).toBeUndefined();
    expect(await refusal(pod({ serviceAccountName: 'default' }, mirror))).toBe('pods "p" is forbidden: a mirror pod may not reference service accounts');
    expect(await refusal(pod({ volumes: [{ name: 's', secret: { secretName: 'x' } }] }, mirror))).toBe('pods "p" is forbidden: a mirror pod may not reference secrets');
    expect(await refusal(pod({ volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 't' } }] } }] }, mirror)))
      .toBe('pods "p" is forbidden: a mirror pod may not use ServiceAccountToken volume projections');
  });

  it('leaves other kinds alone', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } as KubeObject;
    await admitServiceAccount(cm, attrs({ ri: findResource('', 'v1', 'configmaps')!, namespace: 'empty' }));
    expect(cm).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
  });
});

describe('podNamesSecrets', () => {
  it('sees pull secrets, env, envFrom and secret volumes', () => {
    expect(podNamesSecrets(pod())).toBe(false);
    expect(podNamesSecrets(pod({ imagePullSecrets: [{ name: 'r' }] }))).toBe(true);
    expect(podNamesSecrets(pod({ containers: [{ name: 'c', env: [{ name: 'E', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }] }))).toBe(true);
    expect(podNamesSecrets(pod({ initContainers: [{ name: 'i', envFrom: [{ secretRef: { name: 's' } }] }] }))).toBe(true);
    expect(podNamesSecrets(pod({ volumes: [{ name: 'v', projected: { sources: [{ secret: { name: 's' } }] } }] }))).toBe(true);
    expect(podNamesSecrets(pod({ volumes: [{ name: 'v', configMap: { name: 'c' } }] }))).toBe(false);
  });
});

describe('admitServiceAccount with kubernetes.io/enforce-mountable-secrets', () => {
  it('refuses a Secret the ServiceAccount does not list, after giving its pull secrets', async () => {
    const strict: ServiceAccount = { metadata: { name: 'strict', namespace: 'team', annotations: { 'kubernetes.io/enforce-mountable-secrets': 'true' } }, secrets: [{ name: 'ok' }], imagePullSecrets: [{ name: 'reg' }] };
    const a = attrs({ get: async () => strict as KubeObject });
    const fine = await admit(pod({ serviceAccountName: 'strict', volumes: [{ name: 'v', secret: { secretName: 'ok' } }] }), a);
    expect(fine.spec?.imagePullSecrets).toEqual([{ name: 'reg' }]);
    expect(await refusal(pod({ serviceAccountName: 'strict', volumes: [{ name: 'v', secret: { secretName: 'other' } }] }), a))
      .toBe('pods "p" is forbidden: volume with secret.secretName="other" is not allowed because service account strict does not reference that secret');
  });
});
