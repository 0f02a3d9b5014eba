/** Encodings of a fuzzed object or patch: JSON, YAML, Kubernetes protobuf, damaged text, and content types that do not match. */
import { stringify as toYaml } from 'yaml';
import { encodeProtobufBody } from '../../../control/apiserver/protobuf/testing/encode-object.js';
import type { Json } from './mutate.js';
import { mutateBytes, mutateText } from './mutate.js';
import type { Rng } from './rng.js';

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';
export const PATCH_TYPES = {
  json: 'application/json-patch+json', merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json', apply: 'application/apply-patch+yaml',
} as const;
export type PatchKind = keyof typeof PATCH_TYPES;

/** Content types sent in place of the right one. */
export const WRONG_TYPES: readonly string[] = [
  'application/json', 'application/yaml', PROTOBUF, 'text/plain', '', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;;;=',
  'text/html', 'application/cbor', 'application/apply-patch+cbor', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded',
  ...Object.values(PATCH_TYPES), 'application/*', '*/*', 'application/json-patch+json; charset=latin1', ' application/merge-patch+json ',
];

export interface Encoded { body: Buffer; contentType: string; encoding: string }

function yamlText(value: Json): string {
  try { return toYaml(value); } catch { return JSON.stringify(value); } // a value YAML cannot write goes as JSON, which YAML reads too
}

const typeMeta = (v: Json, fallback: { apiVersion: string; kind: string }) => {
  const o = v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  return { apiVersion: typeof o['apiVersion'] === 'string' ? o['apiVersion'] : fallback.apiVersion, kind: typeof o['kind'] === 'string' ? o['kind'] : fallback.kind, rest: o };
};

/** The protobuf body of `value`, or of `valid` with damaged bytes when the value has no protobuf form. */
function protobufOf(rng: Rng, value: Json, valid: Json, k: { apiVersion: string; kind: string }): Buffer {
  const encode = (v: Json): Uint8Array | undefined => {
    const { apiVersion, kind, rest } = typeMeta(v, k);
    const fields = Object.fromEntries(Object.entries(rest).filter(([key]) => key !== 'apiVersion' && key !== 'kind'));
    try { return encodeProtobufBody(apiVersion, kind, fields); } catch { return undefined; } // no protobuf form: fall back below
  };
  const direct = encode(value);
  if (direct && rng.chance(0.6)) return Buffer.from(direct);
  const base = direct ?? encode(valid);
  if (!base) return Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from(JSON.stringify(value))]);
  return Buffer.from(mutateBytes(rng, base));
}

/** An object body for create/update: mostly well-formed in some encoding, sometimes damaged or mislabelled. */
export function encodeObject(rng: Rng, value: Json, valid: Json, k: { apiVersion: string; kind: string }): Encoded {
  const enc = rng.weighted([[60, 'json'], [15, 'yaml'], [15, 'protobuf'], [10, 'text']] as const);
  let body: Buffer;
  let right: string;
  if (enc === 'json') { body = Buffer.from(JSON.stringify(value)); right = 'application/json'; }
  else if (enc === 'yaml') { body = Buffer.from(yamlText(value)); right = 'application/yaml'; }
  else if (enc === 'protobuf') { body = protobufOf(rng, value, valid, k); right = PROTOBUF; }
  else if (rng.chance(0.5)) { body = Buffer.from(mutateText(rng, JSON.stringify(value))); right = 'application/json'; }
  else { body = Buffer.from(mutateText(rng, yamlText(value))); right = 'application/yaml'; }
  const contentType = rng.chance(0.12) ? rng.pick(WRONG_TYPES) : right;
  return { body, contentType, encoding: enc };
}

/** A patch document for its content type (apply patches as YAML), sometimes damaged or mislabelled. */
export function encodePatch(rng: Rng, type: PatchKind, doc: Json): Encoded {
  let text = type === 'apply' && rng.chance(0.7) ? yamlText(doc) : JSON.stringify(doc);
  if (rng.chance(0.06)) text = mutateText(rng, text);
  const contentType = rng.chance(0.1) ? rng.pick(WRONG_TYPES) : PATCH_TYPES[type];
  return { body: Buffer.from(text), contentType, encoding: `${type}-patch` };
}
