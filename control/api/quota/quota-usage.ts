/**
 * Which objects a ResourceQuota counts and what each one charges (upstream's quota evaluators):
 * every object charges count/<resource>[.<group>]; core kinds also charge their legacy name
 * (secrets, configmaps, …); pods charge compute resources (pod-usage.ts); services charge node
 * ports and load balancers. Scopes only ever match pods.
 */
import type { Pod, ResourceQuota, Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../object.js';
import { isBestEffort, isTerminating, podUsage } from './pod-usage.js';
import type { ResourceList } from './resource-list.js';

/** Core resources counted under their own name as well as count/<name>. */
const LEGACY_COUNTED = new Set(['pods', 'services', 'secrets', 'configmaps', 'replicationcontrollers', 'resourcequotas', 'persistentvolumeclaims']);

/** The object-count name upstream uses: count/<resource> for core, count/<resource>.<group> otherwise. */
export const countName = (group: string, resource: string): string => (group ? `count/${resource}.${group}` : `count/${resource}`);

/** What one object charges; `hard` limits the answer to the names a quota tracks. */
export function objectUsage(group: string, resource: string, obj: KubeObject): ResourceList {
  const out: ResourceList = { [countName(group, resource)]: 1 };
  if (group !== '') return out;
  if (LEGACY_COUNTED.has(resource)) out[resource] = 1;
  if (resource === 'pods') return { ...out, ...podUsage(obj as Pod) };
  if (resource === 'services') {
    const svc = obj as Service;
    const ports = svc.spec?.ports?.length ?? 0;
    out['services.nodeports'] = svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer' ? ports : 0;
    out['services.loadbalancers'] = svc.spec?.type === 'LoadBalancer' ? 1 : 0;
  }
  return out;
}

interface ScopeRequirement { scopeName: string; operator: string; values?: string[] }

/** spec.scopes and spec.scopeSelector as one list of requirements (upstream getScopeSelectorsFromQuota). */
function requirementsOf(rq: ResourceQuota): ScopeRequirement[] {
  const reqs: ScopeRequirement[] = (rq.spec?.scopes ?? []).map((s) => ({ scopeName: s, operator: 'Exists' }));
  for (const e of rq.spec?.scopeSelector?.matchExpressions ?? []) reqs.push({ scopeName: e.scopeName, operator: e.operator, values: e.values });
  return reqs;
}

function podMatchesRequirement(pod: Pod, req: ScopeRequirement): boolean {
  const negate = req.operator === 'DoesNotExist';
  switch (req.scopeName) {
    case 'Terminating': return isTerminating(pod) !== negate;
    case 'NotTerminating': return !isTerminating(pod) !== negate;
    case 'BestEffort': return isBestEffort(pod) !== negate;
    case 'NotBestEffort': return !isBestEffort(pod) !== negate;
    case 'PriorityClass': {
      const pc = pod.spec?.priorityClassName ?? '';
      if (req.operator === 'Exists') return pc !== '';
      if (req.operator === 'DoesNotExist') return pc === '';
      const inValues = (req.values ?? []).includes(pc);
      return req.operator === 'In' ? inValues : !inValues;
    }
    default: return false;
  }
}

/** Whether the quota counts this object at all: unscoped quotas count everything, scoped ones only matching pods. */
export function quotaMatches(rq: ResourceQuota, group: string, resource: string, obj: KubeObject): boolean {
  const reqs = requirementsOf(rq);
  if (reqs.length === 0) return true;
  if (group !== '' || resource !== 'pods') return false;
  return reqs.every((r) => podMatchesRequirement(obj as Pod, r));
}

/** Whether a hard name may be charged by objects of this resource (so a quota must be consulted). */
export function tracksResource(name: string, group: string, resource: string): boolean {
  if (name === countName(group, resource)) return true;
  if (group !== '') return false;
  if (LEGACY_COUNTED.has(resource) && name === resource) return true;
  if (resource === 'services') return name === 'services.nodeports' || name === 'services.loadbalancers';
  if (resource === 'pods') return ['cpu', 'memory', 'ephemeral-storage'].includes(name) || name.startsWith('requests.') || name.startsWith('limits.');
  return false;
}
