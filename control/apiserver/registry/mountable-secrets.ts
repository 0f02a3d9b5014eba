/**
 * The deprecated `kubernetes.io/enforce-mountable-secrets` rule of the ServiceAccount admission
 * step: when the pod's ServiceAccount carries the annotation set true (Go's ParseBool), every
 * Secret volume, env / envFrom Secret of a container or init container must be among the
 * account's `secrets`, and every pull secret among its `imagePullSecrets`. PURE: the reason the
 * pod is refused (the first offence, in upstream's order), or undefined.
 */
import type { Container, Pod, ServiceAccount } from 'kubernetes-types/core/v1.js';

export const ENFORCE_MOUNTABLE_SECRETS_ANNOTATION = 'kubernetes.io/enforce-mountable-secrets';
const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

export function enforcesMountableSecrets(sa: ServiceAccount): boolean {
  return GO_TRUE.has(sa.metadata?.annotations?.[ENFORCE_MOUNTABLE_SECRETS_ANNOTATION] ?? '');
}

function containerOffence(c: Container, kind: 'init container' | 'container', allowed: ReadonlySet<string>, sa: string): string | undefined {
  const tail = `is not allowed because service account ${sa} does not reference that secret`;
  for (const e of c.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    if (ref && !allowed.has(ref.name ?? '')) return `${kind} ${c.name} with envVar ${e.name} referencing secret.secretName="${ref.name ?? ''}" ${tail}`;
  }
  for (const f of c.envFrom ?? []) {
    if (f.secretRef && !allowed.has(f.secretRef.name ?? '')) return `${kind} ${c.name} with envFrom referencing secret.secretName="${f.secretRef.name ?? ''}" ${tail}`;
  }
  return undefined;
}

export function mountableSecretsOffence(sa: ServiceAccount, pod: Pod): string | undefined {
  const spec = pod.spec;
  if (!spec) return undefined;
  const saName = sa.metadata?.name ?? '';
  const allowed = new Set((sa.secrets ?? []).map((s) => s.name ?? ''));
  for (const v of spec.volumes ?? []) {
    const name = v.secret ? v.secret.secretName ?? '' : undefined;
    if (name !== undefined && !allowed.has(name)) {
      return `volume with secret.secretName="${name}" is not allowed because service account ${saName} does not reference that secret`;
    }
  }
  for (const c of spec.initContainers ?? []) {
    const o = containerOffence(c, 'init container', allowed, saName);
    if (o) return o;
  }
  for (const c of spec.containers) {
    const o = containerOffence(c, 'container', allowed, saName);
    if (o) return o;
  }
  const pullable = new Set((sa.imagePullSecrets ?? []).map((s) => s.name ?? ''));
  for (const [i, ref] of (spec.imagePullSecrets ?? []).entries()) {
    if (!pullable.has(ref.name ?? '')) {
      return `imagePullSecrets[${i}].name="${ref.name ?? ''}" is not allowed because service account ${saName} does not reference that imagePullSecret`;
    }
  }
  return undefined;
}
