/** Taints and tolerations (PURE; upstream Toleration.ToleratesTaint and TolerationsTolerateTaint). */
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';

/**
 * Whether one toleration tolerates the taint: the effect (if set) and the key (if set) must be the
 * taint's; operator Exists matches any value, Equal (the default) the taint's value; any other
 * operator tolerates nothing.
 */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  if (t.operator && t.operator !== 'Equal') return false;
  return (t.value ?? '') === (taint.value ?? '');
}

/** The first toleration that tolerates the taint. */
export function findToleration(tolerations: readonly Toleration[] | undefined, taint: Taint): Toleration | undefined {
  return tolerations?.find((t) => toleratesTaint(t, taint));
}

/** Whether any of the tolerations tolerates the taint. */
export function tolerated(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return findToleration(tolerations, taint) !== undefined;
}

/** Whether some taint with one of `effects` is not tolerated. */
export function hasUntoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined, effects: readonly string[]): boolean {
  return taints.some((taint) => effects.includes(taint.effect) && !tolerated(tolerations, taint));
}
