import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { RESOURCES, groupVersion, isCreateOnly } from '../../api/resources.js';
import { openapiGroupVersionDocument, openapiIndex } from './openapi-v3.js';
import type { Schema } from './schemas.js';
import { refName, schemaNameFor } from './schemas.js';

const SERVED = [...new Set(RESOURCES.map(groupVersion))];
const openapiGroupVersion = (path: string) => openapiGroupVersionDocument(path)?.doc;

describe('openapiIndex', () => {
  it('lists every served group-version with the uppercase sha512 of its document', () => {
    const idx = openapiIndex();
    expect(Object.keys(idx.paths).sort()).toEqual(SERVED.map((gv) => (gv.includes('/') ? `apis/${gv}` : `api/${gv}`)).sort());
    const core = idx.paths['api/v1']?.serverRelativeURL ?? '';
    const json = openapiGroupVersionDocument('api/v1')?.json ?? '';
    expect(core).toBe(`/openapi/v3/api/v1?hash=${createHash('sha512').update(json).digest('hex').toUpperCase()}`);
    expect(core).toMatch(/\?hash=[0-9A-F]{128}$/);
    expect(idx.paths['apis/apps/v1']?.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=/);
  });
});

/** apiextensions.k8s.io/v1 is documented by the API server's apiextensions part (apiextensions/cr-openapi.ts, tested there). */
const fromApiExtensions = (ri: { group: string }): boolean => ri.group === 'apiextensions.k8s.io';

describe('openapiGroupVersion', () => {
  it('is kept gzipped: the JSON is the gzip inflated, and the hash is its SHA-512', () => {
    const d = openapiGroupVersionDocument('apps/v1');
    expect(d?.gzip).toBeInstanceOf(Buffer);
    expect(gunzipSync(d?.gzip ?? Buffer.alloc(0)).toString('utf8')).toBe(d?.json);
    expect(createHash('sha512').update(d?.json ?? '').digest('hex').toUpperCase()).toBe(d?.hash);
    expect((d?.gzip?.length ?? 0) * 5).toBeLessThan(d?.json.length ?? 0);
  });

  it('accepts URL-style and apiVersion-style names', () => {
    expect(openapiGroupVersionDocument('apis/apps/v1')).toBe(openapiGroupVersionDocument('apps/v1'));
    expect(openapiGroupVersionDocument('/openapi/v3/api/v1')).toBe(openapiGroupVersionDocument('v1'));
    expect(openapiGroupVersion('apis/nope/v1')).toBeUndefined();
  });

  it('has a PATCH with GVK and fieldValidation, and no SMP requestBody, for every stored kind', () => {
    for (const ri of RESOURCES.filter((r) => !isCreateOnly(r) && !fromApiExtensions(r))) {
      const doc = openapiGroupVersion(groupVersion(ri));
      const base = ri.group ? `/apis/${ri.group}/${ri.version}` : '/api/v1';
      const item = doc?.paths[`${base}${ri.namespaced ? '/namespaces/{namespace}' : ''}/${ri.resource}/{name}`];
      expect(item?.patch?.['x-kubernetes-group-version-kind'], ri.resource).toEqual({ group: ri.group, version: ri.version, kind: ri.kind });
      expect(item?.patch?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['fieldValidation', 'dryRun', 'fieldManager', 'force']));
      expect(item?.patch?.requestBody).toBeUndefined();
      expect(item?.get?.responses['200']?.content?.['application/json']?.schema.$ref).toBe(`#/components/schemas/${schemaNameFor(groupVersion(ri), ri.kind)}`);
    }
  });

  it('describes subresources with the kind they speak', () => {
    const apps = openapiGroupVersion('apps/v1');
    expect(apps?.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale']?.patch?.['x-kubernetes-group-version-kind'])
      .toEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    const core = openapiGroupVersion('v1');
    expect(core?.paths['/api/v1/namespaces/{namespace}/pods/{name}/eviction']?.post?.['x-kubernetes-group-version-kind'])
      .toEqual({ group: 'policy', version: 'v1', kind: 'Eviction' });
    expect(core?.paths['/api/v1/namespaces/{namespace}/pods/{name}/status']?.put?.operationId).toBe('replaceCoreV1NamespacedPodStatus');
    expect(core?.paths['/api/v1/pods']?.get?.operationId).toBe('listCoreV1PodForAllNamespaces');
    expect(core?.paths['/api/v1/nodes/{name}']?.parameters?.map((p) => p.name)).toEqual(['name', 'pretty']);
  });

  it('holds exactly the schemas its references reach, so every $ref resolves', () => {
    for (const gv of SERVED) {
      const doc = openapiGroupVersion(gv);
      const schemas = doc?.components.schemas ?? {};
      const refs = new Set<string>();
      const visit = (s: Schema | undefined): void => {
        if (!s) return;
        const n = refName(s);
        if (n) refs.add(n);
        for (const p of Object.values(s.properties ?? {})) visit(p);
        visit(s.items);
        visit(s.additionalProperties);
      };
      Object.values(schemas).forEach(visit);
      for (const r of refs) expect(schemas[r], `${gv}: ${r}`).toBeDefined();
      const json = JSON.stringify(doc?.paths);
      for (const m of json.matchAll(/#\/components\/schemas\/([^"]+)/g)) expect(schemas[m[1] as string], `${gv}: ${m[1]}`).toBeDefined();
    }
    const apps = openapiGroupVersion('apps/v1')?.components.schemas ?? {};
    expect(apps['io.k8s.api.core.v1.Service']).toBeUndefined();
    expect(apps['io.k8s.api.core.v1.PodSpec']).toBeDefined();
  });

  it('serves the review kinds as a POST on the collection and nothing by name', () => {
    const doc = openapiGroupVersion('authorization.k8s.io/v1');
    const post = doc?.paths['/apis/authorization.k8s.io/v1/namespaces/{namespace}/localsubjectaccessreviews']?.post;
    expect(post?.['x-kubernetes-group-version-kind']).toEqual({ group: 'authorization.k8s.io', version: 'v1', kind: 'LocalSubjectAccessReview' });
    expect(doc?.paths['/apis/authorization.k8s.io/v1/subjectaccessreviews/{name}']).toBeUndefined();
  });

  it('lets kubectl explain find each kind by x-kubernetes-group-version-kind', () => {
    for (const ri of RESOURCES.filter((r) => !fromApiExtensions(r))) {
      const schemas = openapiGroupVersion(groupVersion(ri))?.components.schemas ?? {};
      const hit = Object.values(schemas).filter((s) => s['x-kubernetes-group-version-kind']?.some((g) => g.group === ri.group && g.version === ri.version && g.kind === ri.kind));
      expect(hit, ri.kind).toHaveLength(1);
    }
  });
});
