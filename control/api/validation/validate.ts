/**
 * validate(kind, obj, old?): upstream field errors for a create (no `old`) or an update.
 * Call it after applyDefaults (and, for Jobs, applyJobSelector), as the apiserver validates
 * defaulted objects. Unknown kinds validate their metadata only.
 */
import { RESOURCES } from '../resources.js';
import type { FieldError } from '../status.js';
import { validateCronJob, validateJob } from './batch.js';
import { validateCsrCreate, validateCsrUpdate } from './certificates.js';
import { validateEndpointSlice, validateEndpoints, validateEvent, validateLease, validateNamespace } from './cluster.js';
import { validateConfigMap, validateSecret } from './config.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { validateNode } from './node.js';
import { nameIsDNSSubdomain } from './names.js';
import { rec, type Obj } from './obj.js';
import { validatePodCreate, validatePodUpdate } from './pod.js';
import { validateLimitRange } from './limitrange.js';
import { validateResourceQuota } from './resourcequota.js';
import { validateClusterRole, validateClusterRoleBinding, validateRole, validateRoleBinding } from './rbac.js';
import { validateService, validateServiceUpdate } from './service.js';
import { validateWorkload } from './workloads.js';
import { validateIngress } from './ingress.js';
import { validateIngressClass } from './ingressclass.js';
import { validatePodTemplate } from './podtemplate.js';
import { validateRuntimeClass } from './runtimeclass.js';
import { validatePodDisruptionBudget } from './policy.js';
import { validateControllerRevision, validateStatefulSet } from './statefulset.js';
import { validatePersistentVolume, validatePersistentVolumeClaim } from './storage.js';
import { validateStorageClass } from './storageclass.js';
import { validateMutatingWebhookConfiguration, validateValidatingWebhookConfiguration } from './admissionregistration.js';

type Validator = (obj: Obj, old?: Obj) => FieldError[];

const VALIDATORS: Readonly<Record<string, Validator>> = {
  Pod: (o, old) => (old ? validatePodUpdate(o, old) : validatePodCreate(o)),
  Service: (o, old) => (old ? validateServiceUpdate(o, old) : validateService(o)),
  Deployment: (o, old) => validateWorkload('Deployment', o, old),
  ReplicaSet: (o, old) => validateWorkload('ReplicaSet', o, old),
  DaemonSet: (o, old) => validateWorkload('DaemonSet', o, old),
  ReplicationController: (o, old) => validateWorkload('ReplicationController', o, old),
  Job: validateJob,
  CronJob: validateCronJob,
  ConfigMap: validateConfigMap,
  Secret: validateSecret,
  Namespace: validateNamespace,
  Node: validateNode,
  Event: validateEvent,
  Endpoints: validateEndpoints,
  Lease: validateLease,
  EndpointSlice: validateEndpointSlice,
  Role: validateRole,
  ClusterRole: validateClusterRole,
  RoleBinding: validateRoleBinding,
  ClusterRoleBinding: validateClusterRoleBinding,
  ResourceQuota: validateResourceQuota,
  LimitRange: validateLimitRange,
  // the main resource; /status and /approval validate through the CSR strategy
  CertificateSigningRequest: (o, old) => (old ? validateCsrUpdate(o, old) : validateCsrCreate(o)),
  PodTemplate: validatePodTemplate,
  Ingress: validateIngress,
  IngressClass: validateIngressClass,
  RuntimeClass: validateRuntimeClass,
  StatefulSet: validateStatefulSet,
  ControllerRevision: validateControllerRevision,
  PersistentVolume: validatePersistentVolume,
  PersistentVolumeClaim: validatePersistentVolumeClaim,
  StorageClass: validateStorageClass,
  PodDisruptionBudget: validatePodDisruptionBudget,
  ValidatingWebhookConfiguration: validateValidatingWebhookConfiguration,
  MutatingWebhookConfiguration: validateMutatingWebhookConfiguration,
};

/** Drops exact repeats, as upstream's ErrorList.ToAggregate does. */
function dedupe(errs: readonly FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errs.filter((e) => {
    const k = `${e.field}: ${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function validate(kind: string, obj: Record<string, unknown>, old?: Record<string, unknown>): FieldError[] {
  const v = VALIDATORS[kind];
  if (v) return dedupe(v(obj, old));
  return dedupe(old
    ? validateObjectMetaUpdate(rec(obj['metadata']), rec(old['metadata']))
    : validateObjectMeta(rec(obj['metadata']), { namespaced: RESOURCES.find((r) => r.kind === kind)?.namespaced ?? true, nameFn: nameIsDNSSubdomain }));
}
