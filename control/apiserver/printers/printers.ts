import {
  controllerRevisionPrinter, daemonSetPrinter, deploymentPrinter, replicaSetPrinter, replicationControllerPrinter, statefulSetPrinter,
} from './apps-printers.js';
import { cronJobPrinter, jobPrinter } from './batch-printers.js';
import { csrPrinter } from './certificates-printers.js';
import { configMapPrinter, defaultPrinter, eventPrinter, leasePrinter, namespacePrinter, secretPrinter } from './core-printers.js';
import { endpointSlicePrinter, endpointsPrinter, servicePrinter } from './network-printers.js';
import { nodePrinter } from './node-printer.js';
import { podPrinter } from './pod-printer.js';
import { ingressClassPrinter, ingressPrinter, podTemplatePrinter, runtimeClassPrinter } from './more-kinds-printers.js';
import { limitRangePrinter, podDisruptionBudgetPrinter, resourceQuotaPrinter } from './policy-printers.js';
import { persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter } from './storage-printers.js';
import { clusterRoleBindingPrinter, roleBindingPrinter, rolePrinter } from './rbac-printers.js';
import { serviceAccountPrinter } from './serviceaccount-printer.js';
import type { Printer } from './printer.js';
import { crdPrinter } from './apiextensions-printers.js';
import { mutatingWebhookConfigurationPrinter, validatingWebhookConfigurationPrinter } from './admissionregistration-printers.js';

/** Kind -> printer, as upstream's AddHandlers registers them. Kinds are unique across our groups. */
const PRINTERS: ReadonlyMap<string, Printer> = new Map([
  ['Pod', podPrinter],
  ['Node', nodePrinter],
  ['Namespace', namespacePrinter],
  ['Service', servicePrinter],
  ['Endpoints', endpointsPrinter],
  ['EndpointSlice', endpointSlicePrinter],
  ['Event', eventPrinter],
  ['ConfigMap', configMapPrinter],
  ['Secret', secretPrinter],
  ['ServiceAccount', serviceAccountPrinter],
  ['ReplicationController', replicationControllerPrinter],
  ['ReplicaSet', replicaSetPrinter],
  ['Deployment', deploymentPrinter],
  ['DaemonSet', daemonSetPrinter],
  ['Job', jobPrinter],
  ['CronJob', cronJobPrinter],
  ['Lease', leasePrinter],
  ['CertificateSigningRequest', csrPrinter],
  ['Role', rolePrinter],
  ['ClusterRole', rolePrinter],
  ['RoleBinding', roleBindingPrinter],
  ['ClusterRoleBinding', clusterRoleBindingPrinter],
  ['PodTemplate', podTemplatePrinter],
  ['Ingress', ingressPrinter],
  ['IngressClass', ingressClassPrinter],
  ['RuntimeClass', runtimeClassPrinter],
  ['ResourceQuota', resourceQuotaPrinter],
  ['LimitRange', limitRangePrinter],
  ['StatefulSet', statefulSetPrinter],
  ['ControllerRevision', controllerRevisionPrinter],
  ['PodDisruptionBudget', podDisruptionBudgetPrinter],
  ['PersistentVolume', persistentVolumePrinter],
  ['PersistentVolumeClaim', persistentVolumeClaimPrinter],
  ['StorageClass', storageClassPrinter],
  ['CustomResourceDefinition', crdPrinter],
  ['ValidatingWebhookConfiguration', validatingWebhookConfigurationPrinter],
  ['MutatingWebhookConfiguration', mutatingWebhookConfigurationPrinter],
]);

/** The printer for a kind; Name/Age for kinds without one. */
export function printerFor(kind: string): Printer {
  return PRINTERS.get(kind) ?? defaultPrinter;
}
