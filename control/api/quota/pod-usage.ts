/**
 * What a pod charges to a quota (upstream's pod evaluator): pods and count/pods, and its compute
 * requests and limits (requests.*, limits.*, and the bare cpu/memory/ephemeral-storage as requests).
 * The effective request is the larger of the sum over containers and the largest init container.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { addLists, parseResourceList, type ResourceList } from './resource-list.js';

/** The bare names that mean requests (upstream's legacy compute names). */
const BARE = ['cpu', 'memory', 'ephemeral-storage'];

function maxLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = Math.max(out[k] ?? 0, v);
  return out;
}

/** Effective requests and limits of the pod: sum of containers, at least each init container. */
export function podRequestsAndLimits(pod: Pod): { requests: ResourceList; limits: ResourceList } {
  let requests: ResourceList = {};
  let limits: ResourceList = {};
  for (const c of pod.spec?.containers ?? []) {
    requests = addLists(requests, parseResourceList(c.resources?.requests));
    limits = addLists(limits, parseResourceList(c.resources?.limits));
  }
  for (const c of pod.spec?.initContainers ?? []) {
    requests = maxLists(requests, parseResourceList(c.resources?.requests));
    limits = maxLists(limits, parseResourceList(c.resources?.limits));
  }
  return { requests, limits };
}

/** The usage names one container's requests and limits produce (for the "must specify" check). */
export function computeUsageOf(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(requests)) {
    out[`requests.${k}`] = v;
    if (BARE.includes(k)) out[k] = v;
  }
  for (const [k, v] of Object.entries(limits)) out[`limits.${k}`] = v;
  return out;
}

/** The full usage of one pod. */
export function podUsage(pod: Pod): ResourceList {
  const { requests, limits } = podRequestsAndLimits(pod);
  return { pods: 1, 'count/pods': 1, ...computeUsageOf(requests, limits) };
}

/** Whether the pod still counts: not terminal, not past its deletion grace (upstream QuotaV1Pod). */
export function podCountsForQuota(pod: Pod, nowMs: number): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const deletion = pod.metadata?.deletionTimestamp;
  if (deletion && pod.metadata?.deletionGracePeriodSeconds !== undefined) {
    const end = Date.parse(deletion) + pod.metadata.deletionGracePeriodSeconds * 1000;
    if (nowMs > end) return false;
  }
  return true;
}

/** BestEffort QoS: no container asks for or limits cpu or memory. */
export function isBestEffort(pod: Pod): boolean {
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  return all.every((c) => ['cpu', 'memory'].every((r) => c.resources?.requests?.[r] === undefined && c.resources?.limits?.[r] === undefined));
}

/** Terminating: the pod has an active deadline. */
export const isTerminating = (pod: Pod): boolean => (pod.spec?.activeDeadlineSeconds ?? -1) >= 0;
