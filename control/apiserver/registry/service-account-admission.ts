/**
 * The ServiceAccount admission step for pods (upstream plugin/pkg/admission/serviceaccount), on
 * create only: a pod runs as `default` unless it names a ServiceAccount, which must exist (403
 * otherwise); unless automounting is off (the pod's `automountServiceAccountToken` wins over the
 * ServiceAccount's) it gets the `kube-api-access-*` volume; without pull secrets of its own it
 * gets the ServiceAccount's; an account that enforces mountable secrets limits the pod's Secrets
 * to its own. Mirror pods are never changed, and may not name a ServiceAccount, a Secret or a
 * token projection.
 */
import type { Container, EphemeralContainer, Pod, ServiceAccount, Volume } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { forbidden } from '../../api/status.js';
import type { ApiError } from '../../api/status.js';
import type { AdmissionAttributes } from './admission.js';
import { mountApiAccess, randomSuffix } from './api-access-volume.js';
import { enforcesMountableSecrets, mountableSecretsOffence } from './mountable-secrets.js';
import { syncServiceAccountAlias } from './service-account-alias.js';

export const DEFAULT_SERVICE_ACCOUNT = 'default';
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const SERVICE_ACCOUNTS = findResource('', 'v1', 'serviceaccounts')!;

/** `pods "p" is forbidden: <reason>` (no name part for a pod that asked only for generateName). */
const podForbidden = (name: string | undefined, reason: string): ApiError =>
  forbidden(`pods${name ? ` "${name}"` : ''} is forbidden: ${reason}`);

/** Whether the pod names a Secret anywhere (upstream VisitPodSecretNames, all containers). */
export function podNamesSecrets(pod: Pod): boolean {
  const spec = pod.spec;
  if (!spec) return false;
  if ((spec.imagePullSecrets ?? []).some((s) => s.name)) return true;
  const containers: Array<Container | EphemeralContainer> = [...(spec.initContainers ?? []), ...spec.containers, ...(spec.ephemeralContainers ?? [])];
  const inContainer = (c: Container | EphemeralContainer) => (c.envFrom ?? []).some((f) => f.secretRef?.name)
    || (c.env ?? []).some((e) => e.valueFrom?.secretKeyRef?.name);
  const inVolume = (v: Volume) => [
    v.secret?.secretName, v.azureFile?.secretName, v.cephfs?.secretRef?.name, v.cinder?.secretRef?.name, v.flexVolume?.secretRef?.name,
    v.rbd?.secretRef?.name, v.scaleIO?.secretRef?.name, v.iscsi?.secretRef?.name, v.storageos?.secretRef?.name, v.csi?.nodePublishSecretRef?.name,
    ...(v.projected?.sources ?? []).map((s) => s.secret?.name),
  ].some(Boolean);
  return containers.some(inContainer) || (spec.volumes ?? []).some(inVolume);
}

function refuseMirrorPod(pod: Pod, name: string | undefined): void {
  const spec = pod.spec;
  if (spec?.serviceAccountName) throw podForbidden(name, 'a mirror pod may not reference service accounts');
  if (podNamesSecrets(pod)) throw podForbidden(name, 'a mirror pod may not reference secrets');
  if ((spec?.volumes ?? []).some((v) => (v.projected?.sources ?? []).some((s) => s.serviceAccountToken))) {
    throw podForbidden(name, 'a mirror pod may not use ServiceAccountToken volume projections');
  }
}

/** Pod's preference wins, then the ServiceAccount's, then yes. */
export function shouldAutomount(sa: ServiceAccount, pod: Pod): boolean {
  return pod.spec?.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true;
}

/** What the step draws on besides the request: the volume name's randomness and the wait between lookups. */
export interface ServiceAccountAdmissionIo {
  suffix(): string;
  delay(ms: number): Promise<void>;
}

const realIo: ServiceAccountAdmissionIo = {
  suffix: randomSuffix,
  delay: (ms) => new Promise((resolve) => { setTimeout(resolve, ms); }),
};

/**
 * The ServiceAccount, looked up once; `default`, which the controller creates moments after its
 * namespace, up to 10 times 100-199 ms apart, as upstream does before it refuses.
 */
async function lookupServiceAccount(attrs: AdmissionAttributes, name: string, io: ServiceAccountAdmissionIo): Promise<ServiceAccount | undefined> {
  const attempts = name === DEFAULT_SERVICE_ACCOUNT ? 10 : 1;
  const interval = 100 + Math.floor(Math.random() * 100);
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await io.delay(interval);
    const sa = await attrs.get(SERVICE_ACCOUNTS, attrs.namespace, name);
    if (sa) return sa as ServiceAccount;
  }
  return undefined;
}

/** Admits a pod being created; throws the 403 ApiError that refuses it. Other kinds pass. */
export async function admitServiceAccount(obj: KubeObject, attrs: AdmissionAttributes, io: Partial<ServiceAccountAdmissionIo> = {}): Promise<void> {
  const { suffix, delay } = { ...realIo, ...io };
  if (attrs.ri.kind !== 'Pod' || attrs.ri.group !== '' || attrs.operation !== 'CREATE') return;
  const pod = obj as Pod;
  if (!pod.spec) return;
  if (pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) {
    refuseMirrorPod(pod, attrs.name);
    return;
  }
  if (!pod.spec.serviceAccountName) pod.spec.serviceAccountName = DEFAULT_SERVICE_ACCOUNT;
  syncServiceAccountAlias(pod.spec);
  const saName = pod.spec.serviceAccountName;
  const sa = await lookupServiceAccount(attrs, saName, { suffix, delay });
  if (!sa) {
    throw podForbidden(attrs.name, `error looking up service account ${attrs.namespace ?? ''}/${saName}: serviceaccount "${saName}" not found`);
  }
  if (shouldAutomount(sa, pod)) mountApiAccess(pod, suffix);
  if ((pod.spec.imagePullSecrets ?? []).length === 0 && (sa.imagePullSecrets ?? []).length > 0) {
    pod.spec.imagePullSecrets = (sa.imagePullSecrets ?? []).map((s) => ({ name: s.name ?? '' }));
  }
  const offence = enforcesMountableSecrets(sa) ? mountableSecretsOffence(sa, pod) : undefined;
  if (offence) throw podForbidden(attrs.name, offence);
}
