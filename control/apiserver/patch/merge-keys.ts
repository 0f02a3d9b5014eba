/**
 * The strategic-merge-patch schema: for each API type we know, which fields are typed objects
 * (to recurse with the right rules) and which lists merge instead of being replaced. These are the
 * `patchStrategy`/`patchMergeKey` struct tags of k8s.io/api, written out for the types tinykube
 * serves. Anything not listed is a plain map (merged) or a list (replaced), as with JSON merge patch.
 */

export interface FieldPatchMeta {
  /** Name of the field's type (for an object) or of its elements (for a list), a key of PATCH_TYPES. */
  type?: string;
  /** The list merges (patchStrategy "merge"). Without `mergeKey` it is a set of primitives. */
  merge?: boolean;
  /** patchMergeKey: the element field that identifies list elements. */
  mergeKey?: string;
}

type TypeSchema = Readonly<Record<string, FieldPatchMeta>>;

const obj = (type: string): FieldPatchMeta => ({ type });
const byKey = (mergeKey: string, type?: string): FieldPatchMeta => (type ? { merge: true, mergeKey, type } : { merge: true, mergeKey });
const primitiveSet: FieldPatchMeta = { merge: true };
const conditions = byKey('type');
/** Top-level shape shared by every kind: metadata, spec and status of the named types. */
const root = (spec?: string, status?: string): TypeSchema => ({
  metadata: obj('ObjectMeta'),
  ...(spec ? { spec: obj(spec) } : {}),
  ...(status ? { status: obj(status) } : {}),
});

/** Type name → field name → patch metadata. */
export const PATCH_TYPES: Readonly<Record<string, TypeSchema>> = {
  ObjectMeta: { ownerReferences: byKey('uid'), finalizers: primitiveSet },

  // core/v1 Pod and its parts
  Pod: root('PodSpec', 'PodStatus'),
  PodTemplate: { metadata: obj('ObjectMeta'), template: obj('PodTemplateSpec') },
  PodTemplateSpec: { metadata: obj('ObjectMeta'), spec: obj('PodSpec') },
  PodSpec: {
    volumes: byKey('name'),
    initContainers: byKey('name', 'Container'),
    containers: byKey('name', 'Container'),
    ephemeralContainers: byKey('name', 'Container'),
    imagePullSecrets: byKey('name'),
    hostAliases: byKey('ip'),
    topologySpreadConstraints: byKey('topologyKey'),
    resourceClaims: byKey('name'),
    schedulingGates: byKey('name'),
  },
  Container: {
    ports: byKey('containerPort'),
    env: byKey('name'),
    volumeMounts: byKey('mountPath'),
    volumeDevices: byKey('devicePath'),
  },
  PodStatus: { conditions, podIPs: byKey('ip'), hostIPs: byKey('ip'), resourceClaimStatuses: byKey('name') },

  // core/v1 Node, Service, Namespace, ReplicationController
  Node: root('NodeSpec', 'NodeStatus'),
  NodeSpec: { podCIDRs: primitiveSet },
  NodeStatus: { conditions, addresses: byKey('type') },
  Service: root('ServiceSpec', 'ConditionsStatus'),
  ServiceSpec: { ports: byKey('port') },
  Namespace: root(undefined, 'ConditionsStatus'),
  ReplicationController: root('WorkloadSpec', 'ConditionsStatus'),

  // apps/v1 and batch/v1 workloads: spec.template is a PodTemplateSpec
  Workload: root('WorkloadSpec', 'ConditionsStatus'),
  WorkloadSpec: { template: obj('PodTemplateSpec') },
  CronJob: root('CronJobSpec'),
  CronJobSpec: { jobTemplate: obj('JobTemplateSpec') },
  JobTemplateSpec: { metadata: obj('ObjectMeta'), spec: obj('WorkloadSpec') },

  /** Status types whose only merged list is `conditions` (merge key `type`). */
  ConditionsStatus: { conditions },
  /** Kinds whose only merged list is status.conditions (PersistentVolumeClaim, PodDisruptionBudget). */
  ConditionsRoot: root(undefined, 'ConditionsStatus'),
  /** Any other kind: only ObjectMeta rules apply. */
  Object: root(),
};

/** kind → [API groups it belongs to, root type]. */
const ROOTS: Readonly<Record<string, readonly [readonly string[], string]>> = {
  Pod: [[''], 'Pod'],
  PodTemplate: [[''], 'PodTemplate'],
  Node: [[''], 'Node'],
  Service: [[''], 'Service'],
  Namespace: [[''], 'Namespace'],
  ReplicationController: [[''], 'ReplicationController'],
  Deployment: [['apps', 'extensions'], 'Workload'],
  ReplicaSet: [['apps', 'extensions'], 'Workload'],
  DaemonSet: [['apps', 'extensions'], 'Workload'],
  StatefulSet: [['apps'], 'Workload'],
  PersistentVolumeClaim: [[''], 'ConditionsRoot'],
  PodDisruptionBudget: [['policy'], 'ConditionsRoot'],
  Job: [['batch'], 'Workload'],
  CronJob: [['batch'], 'CronJob'],
};

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/** The root type to patch an object of this kind with; `Object` (metadata rules only) when unknown. */
export function rootPatchType(kind: string, apiVersion: string): string {
  const entry = ROOTS[kind];
  return entry && entry[0].includes(groupOf(apiVersion)) ? entry[1] : 'Object';
}

/** Patch metadata of `field` inside an object of type `type`; undefined for untyped or unknown fields. */
export function lookupPatchField(type: string | undefined, field: string): FieldPatchMeta | undefined {
  if (type === undefined) return undefined;
  const schema = PATCH_TYPES[type];
  return schema && Object.prototype.hasOwnProperty.call(schema, field) ? schema[field] : undefined;
}
