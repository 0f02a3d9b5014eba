/**
 * The `paths` of one group-version's OpenAPI v3 document, derived from the RESOURCES table: collection,
 * item and subresource paths with upstream-style operations. PATCH operations carry the object's
 * x-kubernetes-group-version-kind and a `fieldValidation` parameter (what kubectl's --validate=strict
 * looks for) and deliberately no requestBody, so kubectl computes strategic merge patches from its
 * built-in types rather than from these schemas (kubectl-surface.md §3.12).
 */
import type { ResourceInfo } from '../../api/resources.js';
import { groupVersion } from '../../api/resources.js';
import type { Parameter } from './params.js';
import { DELETE_PARAMS, LIST_PARAMS, PARAM, PATCH_PARAMS, WRITE_PARAMS, pathParam } from './params.js';
import type { GroupVersionKind } from './schemas.js';
import { schemaNameFor, schemaRef } from './schemas.js';

interface Operation {
  description: string;
  operationId: string;
  parameters?: readonly Parameter[];
  requestBody?: { content: Record<string, { schema: { $ref: string } }>; required: true };
  responses: Record<string, { description: string; content?: Record<string, { schema: { $ref: string } }> }>;
  tags: string[];
  'x-kubernetes-action': string;
  'x-kubernetes-group-version-kind': GroupVersionKind;
}
export type PathItem = { parameters?: Parameter[] } & Partial<Record<'get' | 'put' | 'post' | 'patch' | 'delete', Operation>>;

export interface GroupVersionPaths {
  paths: Record<string, PathItem>;
  /** Schema names the operations refer to (roots of the document's components). */
  refs: Set<string>;
}

const DELETE_OPTIONS = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';
const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';

const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
/** Upstream operationId infix: CoreV1, AppsV1, CoordinationV1 (dotted groups use their first label). */
const opGroup = (ri: ResourceInfo): string => `${upperFirst(ri.group.split('.')[0] || 'core')}${upperFirst(ri.version)}`;

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** Builds the paths of every resource in RESOURCES that belongs to `gv` ("v1", "apps/v1"). */
export function buildPaths(gv: string, resources: readonly ResourceInfo[]): GroupVersionPaths {
  const paths: Record<string, PathItem> = {};
  const refs = new Set<string>();
  const jsonBody = (name: string) => ({ 'application/json': { schema: { $ref: schemaRef(name) } } });
  const ok = (name: string, code = '200') => ({ [code]: { description: 'OK', content: jsonBody(name) }, '401': { description: 'Unauthorized' } });

  for (const ri of resources) {
    if (groupVersion(ri) !== gv) continue;
    const kindSchema = schemaNameFor(gv, ri.kind);
    if (!kindSchema) continue;
    const listSchema = schemaNameFor(gv, ri.listKind);
    const verbs = new Set(ri.verbs ?? []);
    const gvk: GroupVersionKind = { group: ri.group, version: ri.version, kind: ri.kind };
    const ns = ri.namespaced ? 'Namespaced' : '';
    const base = `${ri.group ? `/apis/${gv}` : '/api/v1'}${ri.namespaced ? '/namespaces/{namespace}' : ''}/${ri.resource}`;
    const scope: Parameter[] = ri.namespaced ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')] : [];
    const named = [pathParam('name', `name of the ${ri.kind}`), ...scope, PARAM.pretty];
    const op = (verb: string, action: string, what: string, suffix = '', g = gvk): Omit<Operation, 'responses'> => ({
      description: what, operationId: `${verb}${opGroup(ri)}${ns}${ri.kind}${suffix}`, tags: [`${opGroup(ri).toLowerCase()}`],
      'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': g,
    });
    refs.add(kindSchema);

    const collection: PathItem = { parameters: [...scope, PARAM.pretty] };
    if (verbs.has('list') && listSchema) {
      refs.add(listSchema);
      collection.get = { ...op('list', 'list', `list or watch objects of kind ${ri.kind}`), parameters: LIST_PARAMS, responses: ok(listSchema) };
    }
    if (verbs.has('create')) {
      collection.post = { ...op('create', 'post', `create a ${ri.kind}`), parameters: WRITE_PARAMS,
        requestBody: { content: { '*/*': { schema: { $ref: schemaRef(kindSchema) } } }, required: true }, responses: ok(kindSchema, '201') };
    }
    if (verbs.has('deletecollection')) {
      refs.add(STATUS);
      collection.delete = { ...op('deleteCollection', 'deletecollection', `delete collection of ${ri.kind}`),
        parameters: [...DELETE_PARAMS, ...LIST_PARAMS], responses: ok(STATUS) };
    }
    paths[base] = collection;

    const item: PathItem = { parameters: named };
    if (verbs.has('get')) item.get = { ...op('read', 'get', `read the specified ${ri.kind}`), responses: ok(kindSchema) };
    if (verbs.has('update')) item.put = replaceOp(op('replace', 'put', `replace the specified ${ri.kind}`), kindSchema);
    if (verbs.has('patch')) item.patch = { ...op('patch', 'patch', `partially update the specified ${ri.kind}`), parameters: PATCH_PARAMS, responses: ok(kindSchema) };
    if (verbs.has('delete')) {
      refs.add(DELETE_OPTIONS).add(STATUS);
      item.delete = { ...op('delete', 'delete', `delete a ${ri.kind}`), parameters: DELETE_PARAMS,
        requestBody: { content: { '*/*': { schema: { $ref: schemaRef(DELETE_OPTIONS) } } }, required: true }, responses: ok(STATUS) };
    }
    if (Object.keys(item).length > 1) paths[`${base}/{name}`] = item;

    if (ri.namespaced && verbs.has('list') && listSchema) {
      const prefix = ri.group ? `/apis/${gv}` : '/api/v1';
      paths[`${prefix}/${ri.resource}`] = { parameters: [PARAM.pretty],
        get: { ...op('list', 'list', `list or watch objects of kind ${ri.kind}`, 'ForAllNamespaces'),
          operationId: `list${opGroup(ri)}${ri.kind}ForAllNamespaces`, parameters: LIST_PARAMS, responses: ok(listSchema) } };
    }

    for (const sub of ri.subresources ?? []) {
      const subGV = sub.group !== undefined && sub.version !== undefined ? `${sub.group ? `${sub.group}/` : ''}${sub.version}` : gv;
      const subSchema = schemaNameFor(subGV, sub.kind);
      if (!subSchema) continue;                     // log/exec/attach/portforward: no body schema to describe
      refs.add(subSchema);
      const subGVK: GroupVersionKind = { ...splitApiVersion(subGV), kind: sub.kind };
      const suffix = upperFirst(sub.name);
      const subVerbs = new Set(sub.verbs);
      const entry: PathItem = { parameters: named };
      if (subVerbs.has('get')) entry.get = { ...op('read', 'get', `read ${sub.name} of the specified ${ri.kind}`, suffix, subGVK), responses: ok(subSchema) };
      if (subVerbs.has('update')) entry.put = replaceOp(op('replace', 'put', `replace ${sub.name} of the specified ${ri.kind}`, suffix, subGVK), subSchema);
      if (subVerbs.has('patch')) {
        entry.patch = { ...op('patch', 'patch', `partially update ${sub.name} of the specified ${ri.kind}`, suffix, subGVK),
          parameters: PATCH_PARAMS, responses: ok(subSchema) };
      }
      if (subVerbs.has('create')) {
        entry.post = { ...op('create', 'post', `create ${sub.name} of a ${ri.kind}`, suffix, subGVK), parameters: WRITE_PARAMS,
          requestBody: { content: { '*/*': { schema: { $ref: schemaRef(subSchema) } } }, required: true }, responses: ok(subSchema, '201') };
      }
      paths[`${base}/{name}/${sub.name}`] = entry;
    }
  }
  return { paths, refs };

  function replaceOp(o: Omit<Operation, 'responses'>, schema: string): Operation {
    return { ...o, parameters: WRITE_PARAMS,
      requestBody: { content: { '*/*': { schema: { $ref: schemaRef(schema) } } }, required: true }, responses: ok(schema) };
  }
}
