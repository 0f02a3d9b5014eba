/**
 * A PodDisruptionBudget's status from its pods (upstream pkg/controller/disruption trySync and
 * pkg/apis/policy/helper). PURE: the controllers' scales come in through `scaleOf`, time as `nowMs`.
 *
 * - expectedPods: with maxUnavailable or a percent minAvailable, the sum of the scales of the
 *   controllers owning the pods (each controller once); with an int minAvailable, the pod count.
 * - desiredHealthy: minAvailable (scaled, rounded up), or expectedPods − maxUnavailable (≥ 0).
 * - currentHealthy: Ready pods not terminating and not in disruptedPods (an eviction in flight).
 * - disruptionsAllowed: currentHealthy − desiredHealthy, 0 when negative or nothing is expected.
 * - disruptedPods: the eviction handler's entries, kept for pods that still exist and are not yet
 *   terminating, for DELETION_TIMEOUT_MS; the earliest expiry is when to look again.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Condition, OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import { isPodReady } from '../../api/pod-conditions.js';
import { rfc3339 } from '../../util/clock.js';

/** How long an eviction's entry in disruptedPods holds before the pod counts again (upstream DeletionTimeout). */
export const DELETION_TIMEOUT_MS = 2 * 60_000;
export const DISRUPTION_ALLOWED = 'DisruptionAllowed';

/** A pod's controller and its scale (spec.replicas), or undefined when no such controller exists. */
export type ScaleLookup = (ref: OwnerReference, namespace: string) => { uid: string; scale: number } | undefined;

/** Why a status cannot be computed: the message goes into the SyncFailed condition. */
export class PdbSyncError extends Error {
  constructor(message: string) { super(message); this.name = 'PdbSyncError'; }
}

export interface PdbComputation {
  status: PodDisruptionBudgetStatus;
  /** Names of pods without a controller (the UnmanagedPods warning). */
  unmanagedPods: string[];
  /** When an entry of disruptedPods expires (ms), if any is kept. */
  recheckAtMs?: number;
}

/** intstr.GetScaledValueFromIntOrPercent (percent strings only; validation keeps others out). */
export function scaledIntOrPercent(v: number | string, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) throw new PdbSyncError(`invalid value for IntOrString: invalid value "${v}": must be an integer or a percent`);
  const raw = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}

/** Sum of the scales of the pods' controllers (upstream getExpectedScale). */
function expectedScale(pods: readonly Pod[], scaleOf: ScaleLookup): { expected: number; unmanaged: string[] } {
  const scales = new Map<string, number>();
  const unmanaged: string[] = [];
  for (const p of pods) {
    const ref = p.metadata?.ownerReferences?.find((r) => r.controller);
    if (!ref) { unmanaged.push(p.metadata?.name ?? ''); continue; }
    if (scales.has(ref.uid)) continue;
    const found = scaleOf(ref, p.metadata?.namespace ?? '');
    if (!found) throw new PdbSyncError(`found no controllers for pod "${p.metadata?.name ?? ''}"`);
    scales.set(found.uid, found.scale);
  }
  let expected = 0;
  for (const s of scales.values()) expected += s;
  return { expected, unmanaged };
}

/** Throws PdbSyncError when the pods' controllers cannot be found. */
export function computePdbStatus(pdb: PodDisruptionBudget, pods: readonly Pod[], scaleOf: ScaleLookup, nowMs: number): PdbComputation {
  const spec = pdb.spec ?? {};
  let expectedPods = 0;
  let desiredHealthy = 0;
  let unmanagedPods: string[] = [];
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const s = expectedScale(pods, scaleOf);
    expectedPods = s.expected;
    unmanagedPods = s.unmanaged;
    desiredHealthy = Math.max(0, expectedPods - scaledIntOrPercent(spec.maxUnavailable, expectedPods, true));
  } else if (typeof spec.minAvailable === 'number') {
    desiredHealthy = spec.minAvailable;
    expectedPods = pods.length;
  } else if (typeof spec.minAvailable === 'string') {
    const s = expectedScale(pods, scaleOf);
    expectedPods = s.expected;
    unmanagedPods = s.unmanaged;
    desiredHealthy = scaledIntOrPercent(spec.minAvailable, expectedPods, true);
  }

  const { disrupted, recheckAtMs } = keptDisruptedPods(pods, pdb.status?.disruptedPods, nowMs);
  let currentHealthy = 0;
  for (const p of pods) {
    if (p.metadata?.deletionTimestamp) continue;
    if (disrupted[p.metadata?.name ?? ''] !== undefined) continue;
    if (isPodReady(p)) currentHealthy++;
  }
  let disruptionsAllowed = currentHealthy - desiredHealthy;
  if (expectedPods <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;

  const status: PodDisruptionBudgetStatus = {
    currentHealthy, desiredHealthy, expectedPods, disruptionsAllowed,
    observedGeneration: pdb.metadata?.generation ?? 0,
    ...(Object.keys(disrupted).length > 0 ? { disruptedPods: disrupted } : {}),
    conditions: structuredClone(pdb.status?.conditions ?? []),
  };
  setDisruptionAllowedCondition(status, nowMs);
  return { status, unmanagedPods, ...(recheckAtMs !== undefined ? { recheckAtMs } : {}) };
}

/** Entries of disruptedPods still pending: the pod exists, is not terminating, and the entry is young (buildDisruptedPodMap). */
function keptDisruptedPods(pods: readonly Pod[], entries: Record<string, string> | undefined, nowMs: number):
  { disrupted: Record<string, string>; recheckAtMs?: number } {
  const disrupted: Record<string, string> = {};
  let recheckAtMs: number | undefined;
  if (!entries) return { disrupted };
  for (const p of pods) {
    const name = p.metadata?.name ?? '';
    const at = entries[name];
    if (p.metadata?.deletionTimestamp || at === undefined) continue;
    const expiry = Date.parse(at) + DELETION_TIMEOUT_MS;
    if (!(expiry > nowMs)) continue; // expected to be gone by now: it counts again
    disrupted[name] = at;
    if (recheckAtMs === undefined || expiry < recheckAtMs) recheckAtMs = expiry;
  }
  return { disrupted, recheckAtMs };
}

/** apimeta.SetStatusCondition: lastTransitionTime moves only when the status does. */
export function setCondition(conditions: Condition[], c: Omit<Condition, 'lastTransitionTime'>, nowMs: number): void {
  const cur = conditions.find((x) => x.type === c.type);
  if (!cur) { conditions.push({ ...c, lastTransitionTime: rfc3339(new Date(nowMs)) }); return; }
  if (cur.status !== c.status) { cur.status = c.status; cur.lastTransitionTime = rfc3339(new Date(nowMs)); }
  cur.reason = c.reason;
  cur.message = c.message;
  cur.observedGeneration = c.observedGeneration;
}

/** pdbhelper.UpdateDisruptionAllowedCondition: SufficientPods when a disruption is allowed, else InsufficientPods. */
export function setDisruptionAllowedCondition(status: PodDisruptionBudgetStatus, nowMs: number): void {
  const conditions = (status.conditions ??= []);
  const allowed = (status.disruptionsAllowed ?? 0) > 0;
  setCondition(conditions, {
    type: DISRUPTION_ALLOWED, status: allowed ? 'True' : 'False', reason: allowed ? 'SufficientPods' : 'InsufficientPods',
    message: '', observedGeneration: status.observedGeneration ?? 0,
  }, nowMs);
}

/** Whether the stored status already says what `next` says (updatePdbStatus's no-op check). */
export function sameStatus(cur: PodDisruptionBudgetStatus | undefined, next: PodDisruptionBudgetStatus): boolean {
  const c: Partial<PodDisruptionBudgetStatus> = cur ?? {};
  const cond = c.conditions?.find((x) => x.type === DISRUPTION_ALLOWED);
  const nextCond = next.conditions?.find((x) => x.type === DISRUPTION_ALLOWED);
  return (c.currentHealthy ?? 0) === next.currentHealthy && (c.desiredHealthy ?? 0) === next.desiredHealthy
    && (c.expectedPods ?? 0) === next.expectedPods && (c.disruptionsAllowed ?? 0) === next.disruptionsAllowed
    && (c.observedGeneration ?? 0) === next.observedGeneration
    && sameMap(c.disruptedPods, next.disruptedPods)
    && cond !== undefined && cond.status === nextCond?.status && cond.reason === nextCond?.reason;
}

function sameMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => a?.[k] === b?.[k]);
}
