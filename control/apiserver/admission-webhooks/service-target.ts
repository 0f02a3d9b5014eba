/**
 * Where a webhook's clientConfig sends a review. A Service reference resolves to a ready endpoint
 * (pod IP and target port) of that Service, as kube-apiserver does with --enable-aggregator-routing:
 * the control plane runs on the host and reaches pod IPs, not service IPs. The certificate is still
 * checked for `<service>.<namespace>.svc`.
 */
import type { WebhookClientConfig } from 'kubernetes-types/admissionregistration/v1.js';
import type { Endpoints, Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { findResource } from '../../api/resources.js';
import type { WebhookTarget } from './webhook-transport.js';

const SERVICES = findResource('', 'v1', 'services') as ResourceInfo;
const ENDPOINTS = findResource('', 'v1', 'endpoints') as ResourceInfo;

export type ObjectGetter = (ri: ResourceInfo, namespace: string | undefined, name: string) => Promise<KubeObject | undefined>;

/** Resolves clientConfig to a target; throws Error (a call failure) when there is nowhere to send it. */
export async function resolveTarget(cc: WebhookClientConfig, timeoutSeconds: number, get: ObjectGetter): Promise<WebhookTarget> {
  const ca = cc.caBundle ? Buffer.from(cc.caBundle, 'base64').toString('utf8') : undefined;
  const timeoutQuery = `timeout=${timeoutSeconds}s`;
  if (cc.url !== undefined) {
    const url = new URL(cc.url);
    if (url.protocol !== 'https:') throw new Error(`webhook url scheme is not https: ${url.protocol}`);
    url.search = timeoutQuery;
    return { url, serverName: url.hostname.replace(/^\[|\]$/g, ''), display: url.toString(), ...(ca !== undefined ? { ca } : {}) };
  }
  const ref = cc.service;
  if (!ref) throw new Error('webhook clientConfig has neither url nor service');
  const port = ref.port ?? 443;
  const svc = await get(SERVICES, ref.namespace, ref.name) as Service | undefined;
  if (!svc) throw new Error(`service "${ref.name}" not found`);
  const svcPort = (svc.spec?.ports ?? []).find((p) => p.port === port);
  if (!svcPort) throw new Error(`service "${ref.namespace}/${ref.name}" has no port ${port}`);
  const eps = await get(ENDPOINTS, ref.namespace, ref.name) as Endpoints | undefined;
  const candidates: { ip: string; port: number }[] = [];
  for (const subset of eps?.subsets ?? []) {
    const epPort = (subset.ports ?? []).find((p) => (p.name ?? '') === (svcPort.name ?? '')) ?? (subset.ports?.length === 1 ? subset.ports[0] : undefined);
    if (!epPort) continue;
    for (const addr of subset.addresses ?? []) candidates.push({ ip: addr.ip, port: epPort.port });
  }
  const pick = candidates[Math.floor(Math.random() * candidates.length)];
  if (!pick) throw new Error(`service "${ref.namespace}/${ref.name}" has no ready endpoints for port ${port}`);
  const host = pick.ip.includes(':') ? `[${pick.ip}]` : pick.ip;
  const path = ref.path ?? '/';
  const url = new URL(`https://${host}:${pick.port}`);
  url.pathname = path;
  url.search = timeoutQuery;
  const serverName = `${ref.name}.${ref.namespace}.svc`;
  return { url, serverName, display: `https://${serverName}:${port}${url.pathname}${url.search}`, ...(ca !== undefined ? { ca } : {}) };
}
