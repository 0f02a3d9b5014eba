/**
 * ServiceAccount strategy (upstream pkg/registry/core/serviceaccount): a `secrets` entry keeps
 * only its name, on create and on update; validation is the object's metadata alone (the name a
 * DNS subdomain), which the generic validation already does.
 */
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/object.js';
import type { Strategy } from '../strategy.js';

/** Drops everything but the name from each secret reference. */
export function cleanSecretReferences(sa: ServiceAccount): void {
  if (!Array.isArray(sa.secrets)) return;
  sa.secrets = sa.secrets.map((s) => (s?.name !== undefined ? { name: s.name } : {}));
}

export const serviceAccountStrategy: Strategy = {
  tracksGeneration: false,
  prepareForCreate(obj: KubeObject) { cleanSecretReferences(obj as ServiceAccount); },
  prepareForUpdate(obj: KubeObject) { cleanSecretReferences(obj as ServiceAccount); },
};
