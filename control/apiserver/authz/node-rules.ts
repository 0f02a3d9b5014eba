/**
 * The static part of node authorization: upstream's system:node role, cut to what tinykube's agent
 * does (and widened where it does more than a kubelet: it also runs the service proxy and DNS,
 * so it reads services, endpointslices, namespaces and all nodes). Secrets, configmaps, claims and
 * leases are not here: the Node authorizer decides those per object.
 */
export interface PolicyRule {
  group: string;
  /** `resource` or `resource/subresource`. */
  resources: readonly string[];
  verbs: readonly string[];
}

const READ = ['get', 'list', 'watch'] as const;

export const NODE_RULES: readonly PolicyRule[] = [
  { group: '', resources: ['nodes'], verbs: [...READ, 'create', 'update', 'patch', 'delete'] },
  { group: '', resources: ['nodes/status'], verbs: ['update', 'patch'] },
  { group: '', resources: ['pods'], verbs: [...READ, 'create', 'delete'] },
  { group: '', resources: ['pods/status'], verbs: ['update', 'patch'] },
  { group: '', resources: ['services', 'endpoints', 'namespaces'], verbs: READ },
  { group: 'discovery.k8s.io', resources: ['endpointslices'], verbs: READ },
  { group: '', resources: ['events'], verbs: [...READ, 'create', 'update', 'patch'] },
  { group: 'events.k8s.io', resources: ['events'], verbs: [...READ, 'create', 'update', 'patch'] },
  { group: 'certificates.k8s.io', resources: ['certificatesigningrequests'], verbs: ['create', 'get', 'list', 'watch'] },
];

/** PURE. Whether a rule grants the verb on group/resource[/subresource] (upstream rbac.RulesAllow). */
export function rulesAllow(rules: readonly PolicyRule[], a: { verb: string; group: string; resource: string; subresource?: string }): boolean {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return rules.some((r) => r.group === a.group && r.resources.includes(resource) && r.verbs.includes(a.verb));
}
