/**
 * The pod-template-hash (upstream ComputeHash): FNV-32a over the pod template, normalised so
 * that what kubectl's `rollout undo` patch writes back (`creationTimestamp: null`, `resources: {}`)
 * hashes like the original, plus the collision count; rendered with SafeEncodeString (no vowels,
 * no look-alike digits). Exact upstream values are not reproduced; stability is what matters.
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { isRecord } from '../../api/object.js';
import { fnv32a, safeEncode } from '../shared/hash.js';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
/** The alphabet pod-template-hash values have always used here (upstream's SAFE_ALPHABET has an 'l' too). */
const ALPHANUMS = 'bcdfghjkmnpqrstvwxz2456789';

/** Drop null/undefined, '' and empty objects/arrays (Go's omitempty view); sort object keys. */
export function normalize(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(normalize).filter((x) => x !== undefined);
    return items.length ? items : undefined;
  }
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const n = normalize(v[k]);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (v === null || v === undefined || v === '') return undefined;
  return v;
}

/** The template without the hash label, normalised and serialised (for equality and hashing). */
export function canonicalTemplate(t: PodTemplateSpec | undefined): string {
  const copy = structuredClone(t ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  return JSON.stringify(normalize(copy) ?? {});
}

/** Upstream EqualIgnoreHash, made robust to null/empty differences. */
export function templatesEqualIgnoringHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return canonicalTemplate(a) === canonicalTemplate(b);
}

/** rand.SafeEncodeString: each character mapped into the safe alphabet. */
export function safeEncodeString(s: string): string {
  return safeEncode(s, ALPHANUMS);
}

export function computeHash(t: PodTemplateSpec | undefined, collisionCount?: number): string {
  let h = fnv32a(canonicalTemplate(t));
  if (collisionCount !== undefined && collisionCount !== null) {
    const buf = Buffer.alloc(4);
    buf.writeUInt32LE(collisionCount >>> 0);
    h = fnv32a(buf, h);
  }
  return safeEncodeString(String(h));
}
