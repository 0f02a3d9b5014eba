/** Defaults for controllers with pod templates (apps/v1, batch/v1, core/v1 RC defaults.go). */
import { ensure, rec, setDefault, type Obj } from '../validation/obj.js';
import { defaultPodTemplate } from './pod.js';
import { defaultPersistentVolumeClaim } from './storage.js';

function templateLabels(spec: Obj): Obj | undefined {
  const labels = rec(rec(rec(spec['template'])?.['metadata'])?.['labels']);
  return labels && Object.keys(labels).length > 0 ? labels : undefined;
}

const isEmpty = (v: unknown): boolean => {
  const r = rec(v);
  return !r || Object.keys(r).length === 0;
};

export function defaultDeployment(d: Obj): void {
  const spec = ensure(d, 'spec');
  setDefault(spec, 'replicas', 1);
  const strategy = ensure(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy['type'] === 'RollingUpdate') {
    const ru = ensure(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', '25%');
    setDefault(ru, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplate(ensure(spec, 'template'));
}

export function defaultReplicaSet(rs: Obj): void {
  const spec = ensure(rs, 'spec');
  setDefault(spec, 'replicas', 1);
  defaultPodTemplate(ensure(spec, 'template'));
}

export function defaultDaemonSet(ds: Obj): void {
  const spec = ensure(ds, 'spec');
  const strategy = ensure(spec, 'updateStrategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy['type'] === 'RollingUpdate') {
    const ru = ensure(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', 1);
    setDefault(ru, 'maxSurge', 0);
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(ensure(spec, 'template'));
}

/**
 * SetDefaults_StatefulSet (apps/v1, 1.32 gates): OrderedReady, RollingUpdate with partition 0 (a
 * rollingUpdate is made only when the type was empty), PVC retention Retain/Retain, replicas 1,
 * revisionHistoryLimit 10; the template and each volumeClaimTemplate get their own defaults.
 */
export function defaultStatefulSet(sts: Obj): void {
  const spec = ensure(sts, 'spec');
  if (!spec['podManagementPolicy']) spec['podManagementPolicy'] = 'OrderedReady';
  const strategy = ensure(spec, 'updateStrategy');
  if (!strategy['type']) {
    strategy['type'] = 'RollingUpdate';
    ensure(strategy, 'rollingUpdate');
  }
  const ru = rec(strategy['rollingUpdate']);
  if (strategy['type'] === 'RollingUpdate' && ru) setDefault(ru, 'partition', 0);
  const retention = ensure(spec, 'persistentVolumeClaimRetentionPolicy');
  if (!retention['whenDeleted']) retention['whenDeleted'] = 'Retain';
  if (!retention['whenScaled']) retention['whenScaled'] = 'Retain';
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(ensure(spec, 'template'));
  for (const claim of Array.isArray(spec['volumeClaimTemplates']) ? spec['volumeClaimTemplates'] : []) {
    const c = rec(claim);
    if (c) defaultPersistentVolumeClaim(c);
  }
}

/** RC: selector and labels default to the template labels; replicas 1. */
export function defaultReplicationController(rc: Obj): void {
  const spec = ensure(rc, 'spec');
  const labels = templateLabels(spec);
  if (labels) {
    if (isEmpty(spec['selector'])) spec['selector'] = { ...labels };
    const meta = ensure(rc, 'metadata');
    if (isEmpty(meta['labels'])) meta['labels'] = { ...labels };
  }
  setDefault(spec, 'replicas', 1);
  const template = rec(spec['template']);
  if (template) defaultPodTemplate(template);
}

export function defaultJob(job: Obj): void {
  const spec = ensure(job, 'spec');
  if (spec['completions'] == null && spec['parallelism'] == null) {
    spec['completions'] = 1;
    spec['parallelism'] = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', spec['backoffLimitPerIndex'] != null ? 2147483647 : 6);
  const labels = templateLabels(spec);
  const meta = ensure(job, 'metadata');
  if (labels && isEmpty(meta['labels'])) meta['labels'] = { ...labels };
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'podReplacementPolicy', spec['podFailurePolicy'] != null ? 'Failed' : 'TerminatingOrFailed');
  defaultPodTemplate(ensure(spec, 'template'));
}

export function defaultCronJob(cj: Obj): void {
  const spec = ensure(cj, 'spec');
  setDefault(spec, 'concurrencyPolicy', 'Allow');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  const jobSpec = ensure(ensure(spec, 'jobTemplate'), 'spec');
  defaultPodTemplate(ensure(jobSpec, 'template'));
}

export const JOB_CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
const LEGACY_JOB_NAME_LABEL = 'job-name';

/**
 * The job strategy's selector generation (run on create once the uid is known, before validation):
 * unless spec.manualSelector is true, label the template with the job name and uid and select on
 * batch.kubernetes.io/controller-uid. Labels the user already set are kept (validation catches clashes).
 */
export function applyJobSelector(job: Obj, uid: string): void {
  const spec = ensure(job, 'spec');
  if (spec['manualSelector'] === true) return;
  const name = String(rec(job['metadata'])?.['name'] ?? '');
  const labels = ensure(ensure(ensure(spec, 'template'), 'metadata'), 'labels');
  setDefault(labels, LEGACY_JOB_NAME_LABEL, name);
  setDefault(labels, JOB_NAME_LABEL, name);
  setDefault(labels, LEGACY_CONTROLLER_UID_LABEL, uid);
  setDefault(labels, JOB_CONTROLLER_UID_LABEL, uid);
  const matchLabels = ensure(ensure(spec, 'selector'), 'matchLabels');
  setDefault(matchLabels, JOB_CONTROLLER_UID_LABEL, uid);
  // Read back from storage, upstream re-defaults job labels from the (now labelled) template.
  const meta = ensure(job, 'metadata');
  if (isEmpty(meta['labels'])) meta['labels'] = { ...labels };
}
