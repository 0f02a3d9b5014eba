/**
 * The protobuf schema for the kinds typed clients send, parsed once from our own proto text
 * (see proto/*.ts) into one protobufjs Root, and the (apiVersion, kind) -> message lookup.
 */
import protobuf from 'protobufjs';
import type { Root, Type } from 'protobufjs';
import { AUTHENTICATION_V1_PROTO, AUTHORIZATION_V1_PROTO } from './proto/auth-proto.js';
import { CERTIFICATES_V1_PROTO } from './proto/certificates-proto.js';
import { CORE_CONTAINER_PROTO } from './proto/core-container-proto.js';
import { CORE_CONTROLLERS_PROTO } from './proto/core-controllers-proto.js';
import { CORE_NODE_PROTO } from './proto/core-node-proto.js';
import { CORE_OBJECTS_PROTO } from './proto/core-objects-proto.js';
import { CORE_POD_PROTO } from './proto/core-pod-proto.js';
import { CORE_PODSPEC_PROTO } from './proto/core-podspec-proto.js';
import { CORE_POLICY_PROTO } from './proto/core-policy-proto.js';
import { INTSTR_PROTO, META_V1_PROTO, RESOURCE_PROTO, RUNTIME_PROTO } from './proto/meta-proto.js';
import { RBAC_V1_PROTO } from './proto/rbac-proto.js';
import {
  AUTOSCALING_V1_PROTO, COORDINATION_V1_PROTO, DISCOVERY_V1_PROTO, POLICY_V1BETA1_PROTO, POLICY_V1_PROTO,
} from './proto/small-groups-proto.js';
import { APPS_V1_PROTO, BATCH_V1_PROTO } from './proto/workloads-proto.js';
import { CORE_TEMPLATE_PROTO } from './proto/core-template-proto.js';
import { EVENTS_V1_PROTO } from './proto/events-proto.js';
import { NETWORKING_V1_PROTO } from './proto/networking-proto.js';
import { NODE_V1_PROTO } from './proto/node-proto.js';
import { ADMISSIONREGISTRATION_V1_PROTO } from './proto/admissionregistration-proto.js';
import { APPS_STATEFUL_PROTO, CORE_STORAGE_PROTO, POLICY_PDB_PROTO, STORAGE_V1_PROTO } from './proto/stateful-proto.js';

const SOURCES = [
  RUNTIME_PROTO, INTSTR_PROTO, RESOURCE_PROTO, META_V1_PROTO,
  CORE_CONTAINER_PROTO, CORE_POD_PROTO, CORE_PODSPEC_PROTO, CORE_OBJECTS_PROTO, CORE_NODE_PROTO, CORE_CONTROLLERS_PROTO,
  APPS_V1_PROTO, BATCH_V1_PROTO, CERTIFICATES_V1_PROTO, RBAC_V1_PROTO, AUTHENTICATION_V1_PROTO, AUTHORIZATION_V1_PROTO,
  AUTOSCALING_V1_PROTO, POLICY_V1_PROTO, POLICY_V1BETA1_PROTO, COORDINATION_V1_PROTO, DISCOVERY_V1_PROTO,
  CORE_POLICY_PROTO,
  CORE_TEMPLATE_PROTO, NETWORKING_V1_PROTO, NODE_V1_PROTO, EVENTS_V1_PROTO,
  CORE_STORAGE_PROTO, APPS_STATEFUL_PROTO, POLICY_PDB_PROTO, STORAGE_V1_PROTO,
  ADMISSIONREGISTRATION_V1_PROTO,
] as const;

export const UNKNOWN_TYPE = 'k8s.io.apimachinery.pkg.runtime.Unknown';
const META_V1_PACKAGE = 'k8s.io.apimachinery.pkg.apis.meta.v1';

/** apiVersion -> proto package holding that group-version's kinds. */
const PACKAGES: Readonly<Record<string, string>> = {
  v1: 'k8s.io.api.core.v1',
  'apps/v1': 'k8s.io.api.apps.v1',
  'batch/v1': 'k8s.io.api.batch.v1',
  'certificates.k8s.io/v1': 'k8s.io.api.certificates.v1',
  'rbac.authorization.k8s.io/v1': 'k8s.io.api.rbac.v1',
  'authentication.k8s.io/v1': 'k8s.io.api.authentication.v1',
  'authorization.k8s.io/v1': 'k8s.io.api.authorization.v1',
  'autoscaling/v1': 'k8s.io.api.autoscaling.v1',
  'policy/v1': 'k8s.io.api.policy.v1',
  'policy/v1beta1': 'k8s.io.api.policy.v1beta1',
  'coordination.k8s.io/v1': 'k8s.io.api.coordination.v1',
  'discovery.k8s.io/v1': 'k8s.io.api.discovery.v1',
  'networking.k8s.io/v1': 'k8s.io.api.networking.v1',
  'node.k8s.io/v1': 'k8s.io.api.node.v1',
  'events.k8s.io/v1': 'k8s.io.api.events.v1',
  'storage.k8s.io/v1': 'k8s.io.api.storage.v1',
  'admissionregistration.k8s.io/v1': 'k8s.io.api.admissionregistration.v1',
};

/** Kinds registered into every group-version (upstream AddToGroupVersion adds the options types). */
const OPTION_KINDS = new Set(['DeleteOptions']);

/** Kinds a client may send as a top-level body; sub-messages like PodSpec are not kinds. */
const KINDS: Readonly<Record<string, ReadonlySet<string>>> = {
  v1: new Set([
    'Namespace', 'ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'Pod', 'ReplicationController', 'Node',
    'Endpoints', 'Event', 'Binding',
    'ResourceQuota', 'LimitRange',
    'PodTemplate',
    'PersistentVolume', 'PersistentVolumeClaim',
  ]),
  'apps/v1': new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'ControllerRevision']),
  'batch/v1': new Set(['Job', 'CronJob']),
  'certificates.k8s.io/v1': new Set(['CertificateSigningRequest']),
  'rbac.authorization.k8s.io/v1': new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']),
  'authentication.k8s.io/v1': new Set(['TokenRequest', 'TokenReview', 'SelfSubjectReview']),
  'authorization.k8s.io/v1': new Set([
    'SubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview',
  ]),
  'autoscaling/v1': new Set(['Scale']),
  'policy/v1': new Set(['Eviction', 'PodDisruptionBudget']),
  'policy/v1beta1': new Set(['Eviction']),
  'coordination.k8s.io/v1': new Set(['Lease']),
  'discovery.k8s.io/v1': new Set(['EndpointSlice']),
  'networking.k8s.io/v1': new Set(['Ingress', 'IngressClass']),
  'node.k8s.io/v1': new Set(['RuntimeClass']),
  'events.k8s.io/v1': new Set(['Event']),
  'storage.k8s.io/v1': new Set(['StorageClass']),
  'admissionregistration.k8s.io/v1': new Set(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']),
};

let root: Root | undefined;

/** The shared Root, parsed and resolved on first use. */
export function k8sRoot(): Root {
  if (!root) {
    const r = new protobuf.Root();
    for (const src of SOURCES) protobuf.parse(src, r, { keepCase: true });
    r.resolveAll();
    root = r;
  }
  return root;
}

/** The message type for a top-level kind, or undefined when it is not registered. */
export function lookupKind(apiVersion: string, kind: string): Type | undefined {
  if (OPTION_KINDS.has(kind) && apiVersion !== '') {
    return k8sRoot().lookupType(`${META_V1_PACKAGE}.${kind}`);
  }
  const pkg = PACKAGES[apiVersion];
  if (!pkg || !KINDS[apiVersion]?.has(kind)) return undefined;
  return k8sRoot().lookupType(`${pkg}.${kind}`);
}
