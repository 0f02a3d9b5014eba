/**
 * Discovery: aggregated (apidiscovery.k8s.io v2 and v2beta1, negotiated exactly) and legacy
 * (/api, /apis, /api/v1, /apis/<g>/<v>, /apis/<g>). Everything comes from the RESOURCES table.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ResourceInfo } from '../../api/resources.js';
import { RESOURCES, groupVersion } from '../../api/resources.js';
import { pathNotFound } from '../../api/status.js';
import { aggregatedDiscoveryVersion } from '../http/negotiate.js';

interface GroupVersions { group: string; versions: string[] }

/** The resources served: the built-in table, then those defined at run time (CustomResourceDefinitions). */
type Served = readonly ResourceInfo[];

function groups(served: Served): GroupVersions[] {
  const out: GroupVersions[] = [];
  for (const r of served) {
    if (r.group === '') continue;
    let g = out.find((x) => x.group === r.group);
    if (!g) out.push((g = { group: r.group, versions: [] }));
    if (!g.versions.includes(r.version)) g.versions.push(r.version);
  }
  return out;
}

const resourcesOf = (served: Served, group: string, version: string): ResourceInfo[] =>
  served.filter((r) => r.group === group && r.version === version);

function aggregatedResource(r: ResourceInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {
    resource: r.resource, responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster', singularResource: r.singular, verbs: r.verbs ?? [],
  };
  if (r.shortNames) out['shortNames'] = r.shortNames;
  if (r.categories) out['categories'] = r.categories;
  if (r.subresources) {
    out['subresources'] = r.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return out;
}

function aggregated(served: Served, version: 'v2' | 'v2beta1', legacy: boolean): Record<string, unknown> {
  const items = legacy
    ? [{ metadata: { creationTimestamp: null }, versions: [{ version: 'v1', freshness: 'Current', resources: resourcesOf(served, '', 'v1').map(aggregatedResource) }] }]
    : groups(served).map((g) => ({
      metadata: { name: g.group, creationTimestamp: null },
      versions: g.versions.map((v) => ({ version: v, freshness: 'Current', resources: resourcesOf(served, g.group, v).map(aggregatedResource) })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

function apiResourceList(served: Served, group: string, version: string): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const r of resourcesOf(served, group, version)) {
    const main: Record<string, unknown> = { name: r.resource, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs ?? [] };
    if (r.shortNames) main['shortNames'] = r.shortNames;
    if (r.categories) main['categories'] = r.categories;
    resources.push(main);
    for (const s of r.subresources ?? []) {
      const sub: Record<string, unknown> = { name: `${r.resource}/${s.name}`, singularName: '', namespaced: r.namespaced, kind: s.kind, verbs: s.verbs };
      if (s.group !== undefined) { sub['group'] = s.group; sub['version'] = s.version; }
      resources.push(sub);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources };
}

function apiGroup(g: GroupVersions): Record<string, unknown> {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v }));
  return { name: g.group, versions, preferredVersion: versions[0] };
}

export function registerDiscoveryRoutes(app: FastifyInstance, opts: { serverAddress: () => string; extra?: () => Served }): void {
  const extra = opts.extra;
  const all = (): Served => (extra ? [...RESOURCES, ...extra()] : RESOURCES);
  const agg = (legacy: boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    const v = aggregatedDiscoveryVersion(req.headers.accept);
    if (v) {
      // a Buffer body keeps the Content-Type exactly as written (fastify re-formats it for objects and strings)
      return reply.header('Content-Type', `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`)
        .send(Buffer.from(JSON.stringify(aggregated(all(), v, legacy))));
    }
    if (legacy) {
      return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: opts.serverAddress() }] };
    }
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups(all()).map(apiGroup) };
  };
  // upstream answers the roots with and without the trailing slash
  for (const path of ['/api', '/api/']) app.get(path, agg(true));
  for (const path of ['/apis', '/apis/']) app.get(path, agg(false));
  // each with and without a trailing slash, as upstream answers them (the conformance Discovery spec asks for /apis/<group>/)
  for (const path of ['/api/v1', '/api/v1/']) app.get(path, async () => apiResourceList(RESOURCES, '', 'v1'));
  for (const path of ['/apis/:group/:version', '/apis/:group/:version/']) {
    app.get<{ Params: { group: string; version: string } }>(path, async (req) => {
      const { group, version } = req.params;
      const served = all();
      if (resourcesOf(served, group, version).length === 0) throw pathNotFound();
      return apiResourceList(served, group, version);
    });
  }
  for (const path of ['/apis/:group', '/apis/:group/']) {
    app.get<{ Params: { group: string } }>(path, async (req) => {
      const g = groups(all()).find((x) => x.group === req.params.group);
      if (!g) throw pathNotFound();
      return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) };
    });
  }
}
