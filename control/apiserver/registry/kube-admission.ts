/**
 * The real admission chain: upstream defaulting (with the deprecated spec.serviceAccount alias
 * kept as conversion keeps it), the LimitRanger, ServiceAccount and ResourceQuota admission steps,
 * validation, and OpenAPI unknown-field detection.
 */
import { applyDefaults } from '../../api/defaults/apply-defaults.js';
import { validate } from '../../api/validation/validate.js';
import { findUnknownFields } from '../openapi/unknown-fields.js';
import type { Admission } from './admission.js';
import { syncObjectServiceAccountAlias } from './service-account-alias.js';
import { admitServiceAccount } from './service-account-admission.js';
import { admitLimitRange } from './limit-range-admission.js';
import { admitResourceQuota } from './resource-quota-admission.js';
import { admitDefaultStorageClass } from './default-storage-class-admission.js';

export interface KubeAdmissionOptions {
  /** The ServiceAccount step (upstream's `ServiceAccount` plugin, on by default there and here). */
  serviceAccounts: boolean;
}

/** The chain with a choice of plugins (unit-test servers leave the ServiceAccount step out). */
export function buildKubeAdmission(opts: KubeAdmissionOptions): Admission {
  return {
    applyDefaults: (kind, obj) => {
      applyDefaults(kind, obj as Record<string, unknown>);
      syncObjectServiceAccountAlias(kind, obj);
    },
    // upstream's order: LimitRanger, ServiceAccount, …, DefaultStorageClass, …, ResourceQuota last
    admit: async (obj, attrs) => {
      await admitLimitRange(obj, attrs);
      if (opts.serviceAccounts) await admitServiceAccount(obj, attrs);
      await admitDefaultStorageClass(obj, attrs);
      await admitResourceQuota(obj, attrs);
    },
    validate: (kind, obj, old) => validate(kind, obj as Record<string, unknown>, old as Record<string, unknown> | undefined),
    unknownFields: (apiVersion, kind, obj) => findUnknownFields(apiVersion, kind, obj),
  };
}

export const kubeAdmission: Admission = buildKubeAdmission({ serviceAccounts: true });
