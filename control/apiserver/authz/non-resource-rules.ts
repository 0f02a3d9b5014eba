/**
 * What every authenticated user may read outside the resources: upstream's system:discovery and
 * system:public-info-viewer roles (discovery, the OpenAPI documents, /version, the health checks;
 * /metrics is system:monitoring's, so not here). Nodes and bootstrap tokens get exactly these.
 */
import type { NonResourceRequestInfo } from '../http/request-info.js';

/** upstream nonResourceURLs: an exact path, or a prefix when it ends in '*'. */
const DISCOVERY_URLS: readonly string[] = [
  '/api', '/api/*', '/apis', '/apis/*', '/openapi', '/openapi/*',
  '/healthz', '/livez', '/readyz', '/version', '/version/',
];

/** PURE. Whether a non-resource request is a `get` of one of those URLs (upstream NonResourceURLMatches). */
export function nonResourceAllowed(info: Pick<NonResourceRequestInfo, 'verb' | 'path'>): boolean {
  if (info.verb !== 'get') return false;
  return DISCOVERY_URLS.some((u) => (u.endsWith('*') ? info.path.startsWith(u.slice(0, -1)) : info.path === u));
}
