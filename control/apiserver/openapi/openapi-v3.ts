/**
 * The OpenAPI v3 documents served at /openapi/v3 (index) and /openapi/v3/<api|apis/group>/<version>:
 * one document per served group-version, holding that group-version's paths and only the component
 * schemas reachable from them. Built once, lazily; the index links each document with the uppercase
 * hex SHA-512 of its exact JSON, as upstream does, so clients can cache by URL. They are kept
 * gzipped (~2.4 MiB of JSON is ~10× smaller) and sent so to clients that take gzip, as kubectl does.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ResourceInfo } from '../../api/resources.js';
import { RESOURCES, groupVersion } from '../../api/resources.js';
import { buildPaths } from './paths.js';
import type { PathItem } from './paths.js';
import type { Schema } from './schemas.js';
import { SCHEMAS, reachableSchemas } from './schemas.js';

export const OPENAPI_INFO = { title: 'Kubernetes', version: 'v1.32.0' } as const;

export interface OpenAPIDocument {
  openapi: '3.0.0';
  info: typeof OPENAPI_INFO;
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, Schema> };
}

export interface OpenAPIIndex { paths: Record<string, { serverRelativeURL: string }> }

/** A document with its serialized form and hash, for serving with ETag / cache headers. */
export interface SerializedDocument {
  readonly doc: OpenAPIDocument;
  readonly json: string;
  readonly hash: string;
  /** The JSON gzipped, when the document is kept so. */
  readonly gzip?: Buffer;
}

/** A document held only gzipped: its JSON and object are made again when asked for. */
class GzippedDocument implements SerializedDocument {
  constructor(readonly hash: string, readonly gzip: Buffer) {}
  get json(): string { return gunzipSync(this.gzip).toString('utf8'); }
  get doc(): OpenAPIDocument { return JSON.parse(this.json) as OpenAPIDocument; }
}

/** "v1" -> "api/v1", "apps/v1" -> "apis/apps/v1" (the index keys and URL suffixes). */
export const documentPath = (gv: string): string => (gv.includes('/') ? `apis/${gv}` : `api/${gv}`);

/** Accepts "api/v1", "apis/apps/v1", "v1" or "apps/v1"; returns the group-version ("v1", "apps/v1"). */
function toGroupVersion(path: string): string {
  const p = path.replace(/^\/+|\/+$/g, '').replace(/^openapi\/v3\//, '');
  if (p.startsWith('api/')) return p.slice(4);
  if (p.startsWith('apis/')) return p.slice(5);
  return p;
}

function build(gv: string, resources: readonly ResourceInfo[]): SerializedDocument {
  const { paths, refs } = buildPaths(gv, resources);
  const schemas: Record<string, Schema> = {};
  for (const name of reachableSchemas(refs)) schemas[name] = SCHEMAS[name] as Schema;
  const sortedPaths = Object.fromEntries(Object.keys(paths).sort().map((k) => [k, paths[k] as PathItem]));
  const doc: OpenAPIDocument = { openapi: '3.0.0', info: OPENAPI_INFO, paths: sortedPaths, components: { schemas } };
  const json = JSON.stringify(doc);
  return new GzippedDocument(createHash('sha512').update(json).digest('hex').toUpperCase(), gzipSync(json));
}

let cache: Map<string, SerializedDocument> | undefined;

/** Every served group-version's document, keyed by group-version, in RESOURCES order. */
function documents(): Map<string, SerializedDocument> {
  if (!cache) {
    cache = new Map();
    for (const ri of RESOURCES) {
      const gv = groupVersion(ri);
      if (!cache.has(gv)) cache.set(gv, build(gv, RESOURCES));
    }
  }
  return cache;
}

/** GET /openapi/v3: `{"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=…"},…}}`. */
export function openapiIndex(): OpenAPIIndex {
  const paths: OpenAPIIndex['paths'] = {};
  for (const [gv, d] of documents()) paths[documentPath(gv)] = { serverRelativeURL: `/openapi/v3/${documentPath(gv)}?hash=${d.hash}` };
  return { paths };
}

/** The serialized document of one group-version ("api/v1", "apis/apps/v1", "v1" or "apps/v1"), or undefined. */
export function openapiGroupVersionDocument(path: string): SerializedDocument | undefined {
  return documents().get(toGroupVersion(path));
}

