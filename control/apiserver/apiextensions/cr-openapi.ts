/**
 * OpenAPI v3 documents for the apiextensions.k8s.io/v1 group and for every group-version of the
 * served custom resources: the paths of each kind, whose PATCH operation carries the
 * x-kubernetes-group-version-kind and the `fieldValidation` parameter kubectl's --validate=strict
 * looks for (and no requestBody, so kubectl computes a JSON merge patch for custom resources, as
 * it does upstream), plus each kind's schema. PURE.
 */
import { createHash } from 'node:crypto';
import type { ResourceInfo } from '../../api/resources.js';
import { groupVersion } from '../../api/resources.js';
import { OPENAPI_INFO } from '../openapi/openapi-v3.js';
import type { SerializedDocument } from '../openapi/openapi-v3.js';
import { DELETE_PARAMS, LIST_PARAMS, PATCH_PARAMS, WRITE_PARAMS, pathParam } from '../openapi/params.js';
import type { Schema } from './schema/schema.js';

export interface KindSchema { ri: ResourceInfo; schema: Schema }

const reverseDomain = (group: string): string => group.split('.').reverse().join('.');
export const schemaName = (ri: ResourceInfo): string => `${reverseDomain(ri.group)}.${ri.version}.${ri.kind}`;

/** One group-version's document from its kinds (all of the same group-version). */
export function buildCustomDocument(kinds: readonly KindSchema[]): SerializedDocument {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const { ri, schema } of kinds) {
    const gv = groupVersion(ri);
    const gvk = { group: ri.group, version: ri.version, kind: ri.kind };
    const name = schemaName(ri);
    const ref = { $ref: `#/components/schemas/${name}` };
    const json = { 'application/json': { schema: ref } };
    schemas[name] = {
      ...schema, type: 'object',
      properties: { ...(schema.properties ?? {}), apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } },
      'x-kubernetes-group-version-kind': [gvk],
    };
    const op = (verb: string, action: string) => ({
      operationId: `${verb}${ri.kind}`, tags: [gv], 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk,
      responses: { '200': { description: 'OK', content: json }, '401': { description: 'Unauthorized' } },
    });
    const base = `/apis/${gv}${ri.namespaced ? '/namespaces/{namespace}' : ''}/${ri.resource}`;
    const scope = ri.namespaced ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')] : [];
    paths[base] = {
      parameters: scope,
      get: { ...op('list', 'list'), parameters: LIST_PARAMS },
      post: { ...op('create', 'post'), parameters: WRITE_PARAMS, requestBody: { content: { '*/*': { schema: ref } }, required: true } },
      delete: { ...op('deleteCollection', 'deletecollection'), parameters: [...DELETE_PARAMS, ...LIST_PARAMS] },
    };
    const item = {
      parameters: [pathParam('name', `name of the ${ri.kind}`), ...scope],
      get: op('read', 'get'),
      put: { ...op('replace', 'put'), parameters: WRITE_PARAMS, requestBody: { content: { '*/*': { schema: ref } }, required: true } },
      patch: { ...op('patch', 'patch'), parameters: PATCH_PARAMS },
      delete: { ...op('delete', 'delete'), parameters: DELETE_PARAMS },
    };
    paths[`${base}/{name}`] = item;
    for (const sub of ri.subresources ?? []) {
      if (sub.name === 'status') paths[`${base}/{name}/status`] = { parameters: item.parameters, get: item.get, put: item.put, patch: item.patch };
    }
  }
  const sortedPaths = Object.fromEntries(Object.keys(paths).sort().map((k) => [k, paths[k]]));
  const doc = { openapi: '3.0.0' as const, info: OPENAPI_INFO, paths: sortedPaths, components: { schemas } };
  const text = JSON.stringify(doc);
  return { doc: doc as unknown as SerializedDocument['doc'], json: text, hash: createHash('sha512').update(text).digest('hex').toUpperCase() };
}
