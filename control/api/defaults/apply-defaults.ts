/**
 * applyDefaults(kind, obj): upstream defaulting for a freshly decoded object, mutating it in place.
 * Covers the versioned defaults.go functions plus the create-time values the apiserver's registry
 * strategies and built-in admission set. Not here: uid/resourceVersion/timestamps, clusterIP and
 * nodePort allocation, tolerations from admission, and the Job selector (see applyJobSelector).
 */
import { defaultEndpointSlice, defaultEndpoints, defaultNamespace, defaultNode, defaultSecret, defaultService } from './core.js';
import { defaultLimitRange } from './limitrange.js';
import { defaultPod, defaultPodTemplate } from './pod.js';
import {
  defaultCronJob, defaultDaemonSet, defaultDeployment, defaultJob, defaultReplicaSet, defaultReplicationController, defaultStatefulSet,
} from './workloads.js';
import { defaultPersistentVolume, defaultPersistentVolumeClaim, defaultStorageClass } from './storage.js';
import { ensure, type Obj } from '../validation/obj.js';
import { defaultWebhookConfiguration } from './admissionregistration.js';

const DEFAULTERS: Readonly<Record<string, (o: Obj) => void>> = {
  Pod: defaultPod,
  PodTemplate: (o) => defaultPodTemplate(ensure(o, 'template')),
  Service: defaultService,
  Deployment: defaultDeployment,
  ReplicaSet: defaultReplicaSet,
  DaemonSet: defaultDaemonSet,
  ReplicationController: defaultReplicationController,
  Job: defaultJob,
  CronJob: defaultCronJob,
  Namespace: defaultNamespace,
  Secret: defaultSecret,
  Node: defaultNode,
  Endpoints: defaultEndpoints,
  EndpointSlice: defaultEndpointSlice,
  LimitRange: defaultLimitRange,
  StatefulSet: defaultStatefulSet,
  PersistentVolume: defaultPersistentVolume,
  PersistentVolumeClaim: defaultPersistentVolumeClaim,
  StorageClass: defaultStorageClass,
  ValidatingWebhookConfiguration: (o) => defaultWebhookConfiguration(o, false),
  MutatingWebhookConfiguration: (o) => defaultWebhookConfiguration(o, true),
};

export function applyDefaults(kind: string, obj: Record<string, unknown>): void {
  DEFAULTERS[kind]?.(obj);
}
