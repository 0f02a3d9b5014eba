/**
 * POST pods/<name>/eviction (upstream pkg/registry/core/pod/storage/eviction.go): a deletion that
 * honours the pod's PodDisruptionBudget.
 * - A pod that is Pending, terminal or already terminating disrupts nothing: it is deleted at once
 *   (with its resourceVersion as precondition while it could still become Ready).
 * - More than one PDB matching the pod: 500 "This pod has more than one PodDisruptionBudget…".
 * - A pod that is not Ready is deleted without touching the budget when the PDB says AlwaysAllow,
 *   or (IfHealthyBudget, the default) when the budget is met (currentHealthy ≥ desiredHealthy > 0).
 * - Otherwise the PDB's status.disruptionsAllowed is decremented and the pod recorded in
 *   status.disruptedPods with a compare-and-swap on the PDB (retried on conflict); none left →
 *   429 "Cannot evict pod as it would violate the pod's disruption budget." (kubectl drain retries
 *   it every 5 s). A PDB whose status is older than its spec also answers 429.
 * Before the deletion the pod gets the DisruptionTarget condition (EvictionByEvictionAPI).
 */
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { DeleteOptions, Status, StatusCause } from 'kubernetes-types/meta/v1.js';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isRecord } from '../../api/object.js';
import { selectorFromLabelSelector } from '../../api/labels.js';
import { isPodReady } from '../../api/pod-conditions.js';
import { findResource } from '../../api/resources.js';
import { ApiError, badRequest, conflict, forbidden, invalid, isApiError, success, tooManyRequests } from '../../api/status.js';
import { notSupported } from '../../api/validation/field-errors.js';
import { rfc3339 } from '../../util/clock.js';
import { deleteObject } from '../registry/deleter.js';
import type { ResourceHandler, Scope } from '../registry/resource-handler.js';

const PDBS = findResource('policy', 'v1', 'poddisruptionbudgets')!;
/** Upstream EvictionsRetry: 20 attempts. */
const MAX_ATTEMPTS = 20;
/** Upstream MaxDisruptedPodSize. */
const MAX_DISRUPTED_PODS = 2000;
export const VIOLATES_BUDGET = "Cannot evict pod as it would violate the pod's disruption budget.";
export const MORE_THAN_ONE_PDB = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';

type PDB = PodDisruptionBudget & KubeObject;

const isTerminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
/** canIgnorePDB: evicting such a pod disrupts nothing more. */
const canIgnorePdb = (p: Pod) => isTerminal(p) || p.status?.phase === 'Pending' || !!p.metadata?.deletionTimestamp;

function violates(cause: string): ApiError {
  const e = tooManyRequests(VIOLATES_BUDGET, 0);
  e.status.details = { causes: [{ type: 'DisruptionBudget', message: cause } as StatusCause] };
  return e;
}
const stillProcessing = (pdbName: string) => violates(`The disruption budget ${pdbName} is still being processed by the server.`);

/** Answers the Status to send and its HTTP code (201 on success, as upstream's create handler). */
export async function evictPod(h: ResourceHandler, scope: Scope, body: KubeObject): Promise<Status & { code: number }> {
  const name = scope.name ?? '';
  if (body.metadata?.name !== undefined && body.metadata.name !== name) throw badRequest('name in URL does not match name in Eviction object');
  const opts = checkDeleteOptions(body['deleteOptions']);
  const s: Scope = { ...scope, dryRun: scope.dryRun || (opts.dryRun ?? []).includes('All') };
  const rvPinned = !!opts.preconditions?.resourceVersion;

  let pod: Pod & KubeObject;
  for (let attempt = 1; ; attempt++) {
    pod = await h.objects.get(s.ri, s.namespace, name) as Pod & KubeObject;
    if (!canIgnorePdb(pod)) break;
    const enforceRv = !isTerminal(pod) && !pod.metadata?.deletionTimestamp && !rvPinned;
    try {
      await deleteWithCondition(h, s, enforceRv ? withRv(opts, pod.metadata?.resourceVersion) : opts);
      return done();
    } catch (err) {
      if (!(isApiError(err) && err.reason === 'Conflict' && !rvPinned && attempt < MAX_ATTEMPTS)) throw err;
    }
  }

  const pdbs = await budgetsOf(h, pod);
  if (pdbs.length > 1) return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: MORE_THAN_ONE_PDB, code: 500 };
  const pdb = pdbs[0];
  let unhealthyPass = false;
  if (pdb) {
    const st = pdb.status;
    if (!isPodReady(pod)) {
      unhealthyPass = pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow'
        || ((st?.currentHealthy ?? 0) >= (st?.desiredHealthy ?? 0) && (st?.desiredHealthy ?? 0) > 0);
    }
    if (!unhealthyPass) await decrementBudget(h, s, pdb, name);
  }
  // an unhealthy pod is deleted only as it was judged: had it become Ready since, the budget counts
  const deleteOpts = unhealthyPass ? withRv(opts, pod.metadata?.resourceVersion) : opts;
  try {
    await deleteWithCondition(h, s, deleteOpts);
  } catch (err) {
    if (isApiError(err) && err.reason === 'Conflict' && unhealthyPass && !rvPinned) throw stillProcessing(pdb?.metadata?.name ?? '');
    throw err;
  }
  return done();
}

const FIELD_TYPES: Record<string, string> = { gracePeriodSeconds: 'int64', orphanDependents: 'bool', propagationPolicy: 'string' };

/**
 * The Eviction's deleteOptions, checked before anything is written: wrong types are a decoding
 * error (400), an unknown propagation policy or dry-run value is invalid (422), as upstream.
 */
function checkDeleteOptions(raw: unknown): DeleteOptions {
  if (raw === undefined || raw === null) return {};
  const cannot = (field: string, type: string) => badRequest(`Eviction in version "v1" cannot be handled as a Eviction: json: cannot unmarshal ${typeof raw === 'object' ? 'value' : typeof raw} into Go struct field ${field} of type ${type}`);
  if (!isRecord(raw)) throw cannot('Eviction.deleteOptions', 'v1.DeleteOptions');
  const ok: Record<string, (v: unknown) => boolean> = {
    gracePeriodSeconds: (v) => typeof v === 'number' && Number.isSafeInteger(v),
    orphanDependents: (v) => typeof v === 'boolean',
    propagationPolicy: (v) => typeof v === 'string',
  };
  for (const [field, test] of Object.entries(ok)) {
    const v = raw[field];
    if (v !== undefined && v !== null && !test(v)) throw cannot(`DeleteOptions.deleteOptions.${field}`, FIELD_TYPES[field] ?? 'string');
  }
  const pre = raw['preconditions'];
  if (pre !== undefined && pre !== null && (!isRecord(pre) || ['uid', 'resourceVersion'].some((k) => pre[k] != null && typeof pre[k] !== 'string'))) {
    throw cannot('DeleteOptions.deleteOptions.preconditions', 'v1.Preconditions');
  }
  const dry = raw['dryRun'];
  if (dry !== undefined && dry !== null && (!Array.isArray(dry) || dry.some((d) => typeof d !== 'string'))) throw cannot('DeleteOptions.deleteOptions.dryRun', '[]string');
  const errs = [];
  const policy = raw['propagationPolicy'];
  if (typeof policy === 'string' && !['Foreground', 'Background', 'Orphan'].includes(policy)) {
    errs.push(notSupported('propagationPolicy', policy, ['Foreground', 'Background', 'Orphan', 'nil']));
  }
  for (const d of (dry ?? []) as string[]) if (d !== 'All') errs.push(notSupported('dryRun', d, ['All']));
  if (errs.length > 0) throw invalid('DeleteOptions', { group: 'meta.k8s.io', resource: 'deleteoptions' }, '', errs);
  return raw as DeleteOptions;
}

const done = (): Status & { code: number } => success({ code: 201 }) as Status & { code: number };

function withRv(opts: DeleteOptions, rv: string | undefined): DeleteOptions {
  return { ...opts, preconditions: { ...(opts.preconditions ?? {}), resourceVersion: rv } };
}

/** The PDBs of the pod's namespace whose selector matches it (policy/v1: `{}` matches all, none matches nothing). */
async function budgetsOf(h: ResourceHandler, pod: Pod): Promise<PDB[]> {
  const { items } = await h.objects.list(PDBS, pod.metadata?.namespace);
  const labels = pod.metadata?.labels ?? {};
  return (items as PDB[]).filter((pdb) => {
    try { return selectorFromLabelSelector(pdb.spec?.selector).matches(labels); } catch { return false; } // an invalid selector matches no pod
  });
}

/** checkAndDecrement, retried from a fresh read when the PDB changed meanwhile. */
async function decrementBudget(h: ResourceHandler, s: Scope, first: PDB, podName: string): Promise<void> {
  const pdbName = first.metadata?.name ?? '';
  let pdb = first;
  for (let attempt = 1; ; attempt++) {
    const st: PodDisruptionBudgetStatus = structuredClone(pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 });
    if ((st.observedGeneration ?? 0) < (pdb.metadata?.generation ?? 0)) throw stillProcessing(pdbName);
    if (st.disruptionsAllowed < 0) throw forbidden(`poddisruptionbudget.policy "${pdbName}" is forbidden: pdb disruptions allowed is negative`);
    if (Object.keys(st.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS) {
      throw forbidden(`poddisruptionbudget.policy "${pdbName}" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller`);
    }
    if (st.disruptionsAllowed === 0) throw violates(`The disruption budget ${pdbName} needs ${st.desiredHealthy} healthy pods and has ${st.currentHealthy} currently`);
    st.disruptionsAllowed--;
    const now = h.ctx(s).now;
    if (st.disruptionsAllowed === 0) insufficientPods(st, now);
    if (s.dryRun) return;
    st.disruptedPods = { ...(st.disruptedPods ?? {}), [podName]: rfc3339(now) };
    const next = { ...pdb, status: st } as KubeObject; // carries the resourceVersion read: compare-and-swap
    try {
      await h.update({ ...s, ri: PDBS, name: pdbName, fieldValidation: 'Ignore', warnings: [] }, () => next, { subresource: 'status' });
      return;
    } catch (err) {
      if (!(isApiError(err) && err.reason === 'Conflict')) throw err;
      if (attempt >= MAX_ATTEMPTS) {
        throw new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 504, reason: 'Timeout',
          message: `Timeout: couldn't update PodDisruptionBudget "${pdbName}" due to conflicts`, details: { retryAfterSeconds: 10 } });
      }
      pdb = await h.objects.get(PDBS, s.namespace, pdbName) as PDB;
    }
  }
}

/** pdbhelper.UpdateDisruptionAllowedCondition for a budget just used up. */
function insufficientPods(st: PodDisruptionBudgetStatus, now: Date): void {
  const conditions = (st.conditions ??= []);
  const cur = conditions.find((c) => c.type === 'DisruptionAllowed');
  const want = { type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '', observedGeneration: st.observedGeneration ?? 0 };
  if (!cur) { conditions.push({ ...want, lastTransitionTime: rfc3339(now) }); return; }
  if (cur.status !== want.status) cur.lastTransitionTime = rfc3339(now);
  Object.assign(cur, want);
}

/**
 * addConditionAndDeletePod: the DisruptionTarget condition on the latest pod (checked against the
 * preconditions), then the deletion, its resourceVersion precondition moved to the pod just written.
 */
async function deleteWithCondition(h: ResourceHandler, s: Scope, opts: DeleteOptions): Promise<void> {
  let o = opts;
  if (!s.dryRun) {
    const pre = opts.preconditions;
    const updated = await h.update({ ...s, fieldValidation: 'Ignore', warnings: [] }, (cur) => {
      const md = cur.metadata ?? {};
      if (pre?.uid && pre.uid !== md.uid) throw conflict(s.ri, s.name ?? '', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${md.uid ?? ''}`);
      if (pre?.resourceVersion && pre.resourceVersion !== md.resourceVersion) {
        throw conflict(s.ri, s.name ?? '', `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${md.resourceVersion ?? ''}`);
      }
      const status = (cur['status'] ?? {}) as { conditions?: PodCondition[] };
      const conditions = (status.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
      const old = status.conditions?.find((c) => c.type === 'DisruptionTarget');
      conditions.push({
        type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting',
        lastTransitionTime: old?.status === 'True' && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(h.ctx(s).now),
      });
      return { ...cur, status: { ...status, conditions } };
    }, { subresource: 'status' });
    if (pre?.resourceVersion) o = withRv(opts, updated.metadata?.resourceVersion);
  }
  await deleteObject(h, s, o);
}
