import type { PodTemplate } from 'kubernetes-types/core/v1.js';
import type { Ingress, IngressClass } from 'kubernetes-types/networking/v1.js';
import type { RuntimeClass } from 'kubernetes-types/node/v1.js';
import { AGE_COLUMN, NAME_COLUMN, column } from './columns.js';
import { NONE, containerCells, formatLabels } from './cell-format.js';
import { sinceTimestamp } from './human-duration.js';
import { definePrinter } from './printer.js';
import type { PrintContext } from './printer.js';

/** upstream printPodTemplate, printIngress, printIngressClass and printRuntimeClass. */

const nameOf = (o: { metadata?: { name?: string } }): string => o.metadata?.name ?? '';
const ageOf = (o: { metadata?: { creationTimestamp?: string } }, ctx: PrintContext): string =>
  sinceTimestamp(o.metadata?.creationTimestamp, ctx.now);

export const podTemplatePrinter = definePrinter<PodTemplate>([
  NAME_COLUMN,
  column('Containers', 'string', 'Names of each container in the template.'),
  column('Images', 'string', 'Images referenced by each container in the template.'),
  column('Pod Labels', 'string', 'The labels for the pod template.'),
], (pt) => [nameOf(pt), ...containerCells(pt.template?.spec?.containers), formatLabels(pt.template?.metadata?.labels)]);

const MAX_HOSTS = 3;
const LOAD_BALANCER_WIDTH = 16;

/** formatHosts: the first three hosts, "*" when no rule names one. */
function formatHosts(ing: Ingress): string {
  const rules = ing.spec?.rules ?? [];
  const hosts: string[] = [];
  let more = false;
  for (const r of rules) {
    if (hosts.length === MAX_HOSTS) more = true;
    if (!more && r.host) hosts.push(r.host);
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - MAX_HOSTS} more...` : hosts.join(',');
}

/** ingressLoadBalancerStatusStringer: sorted distinct IPs (else hostnames), cut to 16 unless wide. */
function formatAddress(ing: Ingress, wide: boolean): string {
  const set = new Set<string>();
  for (const lb of ing.status?.loadBalancer?.ingress ?? []) {
    if (lb.ip) set.add(lb.ip);
    else if (lb.hostname) set.add(lb.hostname);
  }
  const r = [...set].sort().join(',');
  return !wide && r.length > LOAD_BALANCER_WIDTH ? `${r.slice(0, LOAD_BALANCER_WIDTH - 3)}...` : r;
}

export const ingressPrinter = definePrinter<Ingress>([
  NAME_COLUMN,
  column('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
  column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
  column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
  column('Ports', 'string', 'Ports of TLS configurations that open'),
  AGE_COLUMN,
], (ing, ctx) => [
  nameOf(ing), ing.spec?.ingressClassName ?? NONE, formatHosts(ing), formatAddress(ing, false),
  (ing.spec?.tls ?? []).length > 0 ? '80, 443' : '80', ageOf(ing, ctx),
]);

export const ingressClassPrinter = definePrinter<IngressClass>([
  NAME_COLUMN,
  column('Controller', 'string', 'Controller that is responsible for handling this class'),
  column('Parameters', 'string', 'A reference to a resource with additional parameters'),
  AGE_COLUMN,
], (ic, ctx) => {
  const p = ic.spec?.parameters;
  const parameters = p ? `${p.kind}${p.apiGroup !== undefined ? `.${p.apiGroup}` : ''}/${p.name}` : NONE;
  return [nameOf(ic), ic.spec?.controller ?? '', parameters, ageOf(ic, ctx)];
});

export const runtimeClassPrinter = definePrinter<RuntimeClass>([
  NAME_COLUMN,
  column('Handler', 'string', 'Handler specifies the underlying runtime and configuration that the CRI implementation will use to handle pods of this class.'),
  AGE_COLUMN,
], (rc, ctx) => [nameOf(rc), rc.handler, ageOf(rc, ctx)]);
