/**
 * PodDisruptionBudget strategy (upstream pkg/registry/policy/poddisruptionbudget): a new PDB starts
 * with a zero status (policy/v1 prints its four counts even at 0), spec changes bump the generation,
 * /status keeps the spec and validates the counts.
 */
import type { KubeObject } from '../../../api/object.js';
import { validatePodDisruptionBudgetStatusUpdate } from '../../../api/validation/policy.js';
import type { Strategy } from '../strategy.js';

export const podDisruptionBudgetStrategy: Strategy = {
  tracksGeneration: true,
  statusWritesMetadata: true,
  prepareForCreate(obj: KubeObject): void {
    obj['status'] = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  },
  validateSubresourceUpdate: (_sub, obj, old) => validatePodDisruptionBudgetStatusUpdate(obj, old),
};
