/** Request bodies: JSON, YAML and Kubernetes protobuf objects; patch documents. */
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../../api/object.js';
import { isRecord } from '../../api/object.js';
import { badRequest, unsupportedMediaType } from '../../api/status.js';
import { MAX_YAML_DEPTH, jsonDepthExceeded, yamlDepthExceeded } from './nesting-depth.js';

export interface ProtobufDecoder {
  (body: Uint8Array): KubeObject;
  /** Loads the codec; the server awaits it when a protobuf body arrives, before any decode. */
  ready?(): Promise<void>;
}

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function parseJson(text: string): unknown {
  const deep = jsonDepthExceeded(text);
  if (deep) throw badRequest(`couldn't get version/kind; json parse error: invalid character '${deep}' exceeded max depth`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
  }
}

/**
 * YAML as upstream reads it: converted to JSON text, then decoded as JSON (with the JSON depth
 * limit), so aliases become copies and cannot nest deeper than the text shows.
 */
function parseYamlText(text: string): unknown {
  if (yamlDepthExceeded(text)) throw badRequest(`error converting YAML to JSON: yaml: exceeded max depth of ${MAX_YAML_DEPTH}`);
  let json: string | undefined;
  try {
    json = JSON.stringify(parseYaml(text, { schema: 'core' }));
  } catch (err) {
    throw badRequest(`error converting YAML to JSON: ${(err as Error).message.split('\n')[0] ?? 'invalid YAML'}`);
  }
  return parseJson(json ?? 'null');
}

/** Decode a create/update body into an object. */
export function decodeObjectBody(body: unknown, contentType: string | undefined, protobuf: ProtobufDecoder | undefined): KubeObject {
  const buf = toBuffer(body);
  if (buf.length === 0) throw badRequest('the body of the request was empty');
  const mt = mediaType(contentType);
  let value: unknown;
  if (mt === PROTOBUF) {
    if (!protobuf) throw unsupportedMediaType();
    value = protobuf(buf);
  } else if (mt === 'application/yaml' || mt === 'application/x-yaml' || mt === 'text/yaml') {
    value = parseYamlText(buf.toString('utf8'));
  } else if (mt === 'application/json' || mt === '' || mt === 'text/plain') {
    value = parseJson(buf.toString('utf8'));
  } else {
    throw unsupportedMediaType();
  }
  if (!isRecord(value)) throw badRequest(`couldn't get version/kind; json parse error: expected an object, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  return value as KubeObject;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export function patchTypeOf(contentType: string | undefined): PatchType {
  const mt = mediaType(contentType);
  switch (mt) {
    case 'application/json-patch+json': return 'json';
    case 'application/merge-patch+json': return 'merge';
    case 'application/strategic-merge-patch+json': return 'strategic';
    case 'application/apply-patch+yaml': case 'application/apply-patch+cbor': return 'apply';
    default: throw unsupportedMediaType();
  }
}

/** Decode a patch document (JSON, or YAML for apply patches). */
export function decodePatchBody(body: unknown, type: PatchType): unknown {
  const buf = toBuffer(body);
  if (buf.length === 0) throw badRequest('the body of the request was empty');
  const text = buf.toString('utf8');
  return type === 'apply' ? parseYamlText(text) : parseJson(text);
}

export function toBuffer(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.from(JSON.stringify(body), 'utf8');
}
