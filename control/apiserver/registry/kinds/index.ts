/** The per-kind strategies the control plane wires into the generic handler. */
import { defaultStrategy } from '../strategy.js';
import type { Strategy } from '../strategy.js';
import { csrStrategy } from './csrs.js';
import { ingressClassStrategy, ingressStrategy } from './ingresses.js';
import { jobStrategy } from './jobs.js';
import { namespaceStrategy } from './namespaces.js';
import { podStrategy } from './pods.js';
import { resourceQuotaStrategy } from './resourcequotas.js';
import { serviceAccountStrategy } from './serviceaccounts.js';
import type { ServiceStrategy } from './services.js';
import { podDisruptionBudgetStrategy } from './poddisruptionbudgets.js';
import { statefulSetStrategy } from './statefulsets.js';
import { persistentVolumeClaimStrategy, persistentVolumeStrategy } from './storage.js';

const WORKLOADS = ['Deployment', 'ReplicaSet', 'DaemonSet', 'CronJob', 'ReplicationController'];

/** Strategies by kind: workloads track generation; pods, namespaces, services, jobs and CSRs have their own. */
export function buildStrategies(opts: { services: ServiceStrategy }): Record<string, Strategy> {
  const out: Record<string, Strategy> = {};
  for (const k of WORKLOADS) out[k] = defaultStrategy(k);
  return { ...out, Pod: podStrategy, Namespace: namespaceStrategy, Service: opts.services, Job: jobStrategy, CertificateSigningRequest: csrStrategy, ServiceAccount: serviceAccountStrategy,
    Ingress: ingressStrategy, IngressClass: ingressClassStrategy, ResourceQuota: resourceQuotaStrategy,
    StatefulSet: statefulSetStrategy, PodDisruptionBudget: podDisruptionBudgetStrategy,
    PersistentVolume: persistentVolumeStrategy, PersistentVolumeClaim: persistentVolumeClaimStrategy };
}
