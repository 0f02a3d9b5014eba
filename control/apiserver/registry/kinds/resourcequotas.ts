/**
 * ResourceQuota strategy (upstream pkg/registry/core/resourcequota): a new quota starts with an
 * empty status (the resource-quota controller fills it); spec and status are written through
 * their own endpoints, as for every kind with a status subresource.
 */
import type { KubeObject } from '../../../api/object.js';
import type { Strategy } from '../strategy.js';

export const resourceQuotaStrategy: Strategy = {
  tracksGeneration: false,
  prepareForCreate(obj: KubeObject) { obj['status'] = {}; },
};
