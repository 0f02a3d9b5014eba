/**
 * spec.serviceAccount, the deprecated alias of spec.serviceAccountName, as upstream's v1
 * conversion keeps it: the name wins, the alias fills an empty name, and what is stored (and
 * served) carries the alias equal to the name. For pods and every pod template.
 */
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isRecord } from '../../api/object.js';

export function syncServiceAccountAlias(spec: PodSpec): void {
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  else delete spec.serviceAccount;
}

/** Where a kind keeps its pod spec: pods, pod templates, workloads, CronJobs. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** Syncs the alias in the kind's pod spec, when it has one. */
export function syncObjectServiceAccountAlias(kind: string, obj: KubeObject): void {
  const path = POD_SPEC_PATHS[kind];
  if (!path) return;
  let cur: unknown = obj;
  for (const k of path) cur = isRecord(cur) ? cur[k] : undefined;
  if (isRecord(cur)) syncServiceAccountAlias(cur as unknown as PodSpec);
}
