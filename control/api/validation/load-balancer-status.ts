/** core ValidateLoadBalancerStatus (Service status.loadBalancer), LoadBalancerIPMode on as in 1.32. */
import type { FieldError } from '../status.js';
import { forbidden, invalid, notSupported } from './field-errors.js';
import { isValidIP } from './ip.js';
import { isDNS1123Subdomain, isIP } from './names.js';
import { optStr, recs, str, type Obj } from './obj.js';

const IP_MODES = ['Proxy', 'VIP'];
const PATH = 'status.loadBalancer.ingress';

/**
 * `ipMode` is defaulted to VIP for an ingress with an `ip` (upstream SetDefaults_Service), so its
 * "Required" case is left to defaulting; the other checks are upstream's, in its order.
 */
export function validateLoadBalancerStatus(lb: Obj, spec: Obj): FieldError[] {
  const ingress = recs(lb['ingress']);
  if (str(spec['type']) !== 'LoadBalancer' && ingress.length > 0) {
    return [forbidden(PATH, "may only be used when `spec.type` is 'LoadBalancer'")];
  }
  const errs: FieldError[] = [];
  ingress.forEach((ing, i) => {
    const p = `${PATH}[${i}]`;
    const ip = str(ing['ip']);
    if (ip) errs.push(...isValidIP(`${p}.ip`, ip));
    const mode = optStr(ing['ipMode']);
    if (mode !== undefined && !ip) errs.push(forbidden(`${p}.ipMode`, 'may not be specified when `ip` is not set'));
    else if (mode !== undefined && !IP_MODES.includes(mode)) errs.push(notSupported(`${p}.ipMode`, mode, IP_MODES));
    const hostname = str(ing['hostname']);
    if (hostname) {
      errs.push(...isDNS1123Subdomain(hostname).map((m) => invalid(`${p}.hostname`, hostname, m)));
      if (isIP(hostname)) errs.push(invalid(`${p}.hostname`, hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}
