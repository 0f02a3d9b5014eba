/**
 * Ingress strategy (upstream pkg/registry/networking/ingress): a new Ingress starts with an empty
 * status and generation 1, spec changes bump the generation; /status keeps the spec but takes
 * the rest, metadata included, and validates the load balancer addresses.
 */
import type { KubeObject } from '../../../api/object.js';
import { validateIngressStatusUpdate } from '../../../api/validation/ingress.js';
import type { Strategy } from '../strategy.js';

export const ingressStrategy: Strategy = {
  tracksGeneration: true,
  statusWritesMetadata: true,
  prepareForCreate(obj: KubeObject): void {
    delete obj['status'];
  },
  validateSubresourceUpdate: (_sub, obj, old) => validateIngressStatusUpdate(obj, old),
};

/** IngressClass (upstream pkg/registry/networking/ingressclass): generation follows spec changes. */
export const ingressClassStrategy: Strategy = { tracksGeneration: true };
