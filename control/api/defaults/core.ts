/** Service, Namespace, Secret, Node, Endpoints and EndpointSlice defaults (+ registry strategy bits). */
import { ensure, list, rec, recs, setDefault, str, type Obj } from '../validation/obj.js';

const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

/** service.ExternallyAccessible */
const externallyAccessible = (spec: Obj): boolean =>
  spec['type'] === 'LoadBalancer' || spec['type'] === 'NodePort' || (spec['type'] === 'ClusterIP' && list(spec['externalIPs']).length > 0);

export function defaultService(svc: Obj): void {
  const spec = ensure(svc, 'spec');
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec['sessionAffinity'] === 'None') delete spec['sessionAffinityConfig'];
  if (spec['sessionAffinity'] === 'ClientIP') {
    const timeout = rec(rec(spec['sessionAffinityConfig'])?.['clientIP'])?.['timeoutSeconds'];
    if (timeout == null) spec['sessionAffinityConfig'] = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
  }
  setDefault(spec, 'type', 'ClusterIP');
  for (const port of recs(spec['ports'])) {
    setDefault(port, 'protocol', 'TCP');
    const tp = port['targetPort'];
    if (tp === undefined || tp === null || tp === 0 || tp === '') port['targetPort'] = port['port'];
  }
  if (externallyAccessible(spec)) setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(str(spec['type']))) setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  if (spec['type'] === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  // Registry strategy: keep clusterIP and clusterIPs in step; single-stack families.
  const clusterIP = str(spec['clusterIP']);
  if (clusterIP && list(spec['clusterIPs']).length === 0) spec['clusterIPs'] = [clusterIP];
  if (spec['type'] !== 'ExternalName') {
    setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
    const ip = str(list(spec['clusterIPs'])[0]);
    if (list(spec['ipFamilies']).length === 0) spec['ipFamilies'] = [ip.includes(':') ? 'IPv6' : 'IPv4'];
  }
}

export function defaultNamespace(ns: Obj): void {
  const spec = ensure(ns, 'spec');
  if (list(spec['finalizers']).length === 0) spec['finalizers'] = ['kubernetes'];
  setDefault(ensure(ns, 'status'), 'phase', 'Active');
}

/** Secret type Opaque; stringData folded into data (the secret strategy does this on write). */
export function defaultSecret(secret: Obj): void {
  setDefault(secret, 'type', 'Opaque');
  const stringData = rec(secret['stringData']);
  if (stringData) {
    const data = ensure(secret, 'data');
    for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    delete secret['stringData'];
  }
}

export function defaultNode(node: Obj): void {
  const status = rec(node['status']);
  if (status && rec(status['capacity']) && !rec(status['allocatable'])) status['allocatable'] = { ...rec(status['capacity']) };
}

export function defaultEndpoints(ep: Obj): void {
  for (const ss of recs(ep['subsets'])) for (const port of recs(ss['ports'])) setDefault(port, 'protocol', 'TCP');
}

export function defaultEndpointSlice(es: Obj): void {
  for (const port of recs(es['ports'])) {
    setDefault(port, 'name', '');
    setDefault(port, 'protocol', 'TCP');
  }
}
