/**
 * One fuzz request per case: which kind, which write (create, update, each patch type, a write
 * subresource, plain garbage), and what the store must still hold if it is refused.
 */
import type { FuzzKind, Plain } from './kinds.js';
import { collectionPath } from './kinds.js';
import type { Encoded, PatchKind } from './encode.js';
import { WRONG_TYPES, encodeObject, encodePatch } from './encode.js';
import type { Json } from './mutate.js';
import { mutateObject, randomString, randomValue } from './mutate.js';
import { applyDoc, jsonPatchDoc, mergePatchDoc, strategicPatchDoc } from './patches.js';
import type { Rng } from './rng.js';

/** What a refused request must leave as it was. */
export type Effect =
  | { type: 'create'; collection: string; name?: string }
  | { type: 'write'; objectPath: string }
  | { type: 'none' };

export interface FuzzRequest {
  label: string;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  contentType?: string;
  body?: Buffer;
  effect: Effect;
}

export type Op = 'create' | 'update' | `patch-${PatchKind}` | 'status-update' | 'status-patch' | 'scale-update' | 'scale-patch' | 'binding' | 'eviction' | 'token' | 'garbage';

/** The operations a kind takes, by weight; ops on an existing object need its current state. */
export function opsOf(k: FuzzKind): Array<readonly [number, Op]> {
  if (k.createOnly) return [[1, 'create']];
  const ops: Array<readonly [number, Op]> = [[24, 'create'], [14, 'update'], [10, 'patch-json'], [10, 'patch-merge'], [12, 'patch-strategic'], [8, 'patch-apply'], [3, 'garbage']];
  if (k.subresources.includes('status')) ops.push([6, 'status-update'], [6, 'status-patch']);
  if (k.subresources.includes('scale')) ops.push([5, 'scale-update'], [5, 'scale-patch']);
  if (k.subresources.includes('binding')) ops.push([6, 'binding']);
  if (k.subresources.includes('eviction')) ops.push([4, 'eviction']);
  if (k.subresources.includes('token')) ops.push([8, 'token']);
  return ops;
}
export const needsTarget = (op: Op): boolean => op !== 'create';

const QUERIES: readonly string[] = ['', '', '', '', '?dryRun=All', '?fieldValidation=Strict', '?fieldValidation=Warn', '?fieldValidation=Ignore',
  '?fieldValidation=bogus', '?fieldManager=fuzz', '?fieldManager=%00%ff', '?dryRun=bogus', '?pretty=true', '?fieldManager=' + 'm'.repeat(200)];

const nameOf = (v: Json): string | undefined => {
  const md = v && typeof v === 'object' && !Array.isArray(v) ? v['metadata'] : undefined;
  const n = md && typeof md === 'object' && !Array.isArray(md) ? md['name'] : undefined;
  return typeof n === 'string' ? n : undefined;
};

function request(label: string, method: FuzzRequest['method'], path: string, enc: Encoded, effect: Effect): FuzzRequest {
  return { label: `${label} ${enc.encoding}`, method, path, contentType: enc.contentType, body: enc.body, effect };
}

export interface CaseInput { rng: Rng; kind: FuzzKind; op: Op; /** A fresh name for creates. */ name: string; /** The target's current state. */ current?: Plain; }

export function buildCase({ rng, kind: k, op, name, current }: CaseInput): FuzzRequest {
  const coll = collectionPath(k);
  const valid = k.valid(name) as Json;
  const cur = (current ?? valid) as Json;
  const target = nameOf(cur) ?? name;
  const objectPath = `${coll}/${encodeURIComponent(target)}`;
  const write: Effect = { type: 'write', objectPath };
  const query = rng.pick(QUERIES);
  const label = `${op} ${k.resource}`;
  switch (op) {
    case 'create': {
      const body = rng.chance(0.1) ? valid : mutateObject(rng, valid);
      const bodyName = nameOf(body);
      return request(label, 'POST', coll + query, encodeObject(rng, body, valid, k), k.createOnly ? { type: 'none' } : { type: 'create', collection: coll, ...(bodyName ? { name: bodyName } : {}) });
    }
    case 'update': return request(label, 'PUT', objectPath + query, encodeObject(rng, mutateObject(rng, cur), cur, k), write);
    case 'patch-json': return request(label, 'PATCH', objectPath + query, encodePatch(rng, 'json', jsonPatchDoc(rng, cur)), write);
    case 'patch-merge': return request(label, 'PATCH', objectPath + query, encodePatch(rng, 'merge', mergePatchDoc(rng, cur)), write);
    case 'patch-strategic': return request(label, 'PATCH', objectPath + query, encodePatch(rng, 'strategic', strategicPatchDoc(rng, cur)), write);
    case 'patch-apply': {
      const q = rng.pick(['?fieldManager=fuzz', '?fieldManager=fuzz&force=true', '?fieldManager=fuzz&force=false', '', '?force=true', '?fieldManager=fuzz&dryRun=All']);
      return request(label, 'PATCH', objectPath + q, encodePatch(rng, 'apply', applyDoc(rng, cur)), write);
    }
    case 'status-update': return request(label, 'PUT', `${objectPath}/status${query}`, encodeObject(rng, mutateObject(rng, cur), cur, k), write);
    case 'status-patch': {
      const type = rng.pick(['json', 'merge', 'strategic', 'merge'] as const);
      const st = { status: (cur && typeof cur === 'object' && !Array.isArray(cur) ? cur['status'] : undefined) ?? {} } as Json;
      const doc = type === 'json' ? jsonPatchDoc(rng, cur) : type === 'merge' ? mutateObject(rng, st) : strategicPatchDoc(rng, st);
      return request(label, 'PATCH', `${objectPath}/status${query}`, encodePatch(rng, type, doc), write);
    }
    case 'scale-update': {
      const scale: Json = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: target, namespace: k.namespace ?? '' }, spec: { replicas: rng.int(3) } };
      return request(label, 'PUT', `${objectPath}/scale${query}`, encodeObject(rng, rng.chance(0.2) ? scale : mutateObject(rng, scale), scale, { apiVersion: 'autoscaling/v1', kind: 'Scale' }), write);
    }
    case 'scale-patch': {
      const type = rng.pick(['json', 'merge', 'strategic', 'apply'] as const);
      const doc: Json = type === 'json'
        ? [{ op: rng.pick(['replace', 'add', 'remove', 'test']), path: rng.pick(['/spec/replicas', '/spec', '/status/replicas', '/metadata/name']), value: rng.chance(0.5) ? rng.int(3) : randomValue(rng) }]
        : mutateObject(rng, { spec: { replicas: rng.int(3) } });
      return request(label, 'PATCH', `${objectPath}/scale${query}`, encodePatch(rng, type, doc), write);
    }
    case 'binding': {
      const binding: Json = { apiVersion: 'v1', kind: 'Binding', metadata: { name: target, namespace: k.namespace ?? '' }, target: { apiVersion: 'v1', kind: 'Node', name: 'tk-fuzz-node' } };
      return request(label, 'POST', `${objectPath}/binding${query}`, encodeObject(rng, rng.chance(0.15) ? binding : mutateObject(rng, binding), binding, { apiVersion: 'v1', kind: 'Binding' }), write);
    }
    case 'eviction': {
      const ev: Json = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: target, namespace: k.namespace ?? '' }, deleteOptions: { gracePeriodSeconds: 0 } };
      return request(label, 'POST', `${objectPath}/eviction${query}`, encodeObject(rng, rng.chance(0.15) ? ev : mutateObject(rng, ev), ev, { apiVersion: 'policy/v1', kind: 'Eviction' }), write);
    }
    case 'token': {
      const tr: Json = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: ['https://kubernetes.default.svc'], expirationSeconds: 600,
        boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: '00000000-0000-0000-0000-000000000000' } } };
      return request(label, 'POST', `${objectPath}/token${query}`, encodeObject(rng, rng.chance(0.15) ? tr : mutateObject(rng, tr), tr, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest' }), write);
    }
    case 'garbage': {
      const method = rng.pick(['POST', 'PUT', 'PATCH'] as const);
      const body = rng.weighted<() => Buffer>([
        [3, () => Buffer.from(randomString(rng))], [3, () => Buffer.from(JSON.stringify(randomValue(rng)))],
        [2, () => { const b = Buffer.alloc(rng.int(512)); for (let i = 0; i < b.length; i++) b[i] = rng.int(256); return b; }],
        [1, () => Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from(randomString(rng))])],
      ])();
      return { label, method, path: method === 'POST' ? coll : objectPath, contentType: rng.pick(WRONG_TYPES), body, effect: method === 'POST' ? { type: 'create', collection: coll } : write };
    }
  }
}
