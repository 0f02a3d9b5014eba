/**
 * StatefulSet ControllerRevisions (PURE; upstream statefulset getPatch/newRevision/ApplyRevision
 * and controller/history): a revision's data is the strategic merge patch
 * `{"spec":{"template":{...,"$patch":"replace"}}}` that restores the set's pod template, which is
 * what `kubectl rollout undo` sends back and `kubectl rollout history --revision` applies. The
 * name is `<set>-<hash>`, the hash FNV-32 (not 32a, as upstream's HashControllerRevision) of the
 * data plus the collision count, safe-encoded. Pods carry the revision's name in
 * `controller-revision-hash`.
 */
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { safeEncode } from '../shared/hash.js';
import { REVISION_LABEL, setControllerRef } from './stateful-pod.js';

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** FNV-1 32-bit (multiply, then xor), upstream hash/fnv New32. */
export function fnv32(data: string): number {
  let h = FNV32_OFFSET;
  for (const byte of Buffer.from(data, 'utf8')) {
    h = Math.imul(h, FNV32_PRIME) >>> 0;
    h = (h ^ byte) >>> 0;
  }
  return h >>> 0;
}

/** Go's json.Marshal of a map: keys sorted, and <, >, & and U+2028/2029 escaped inside strings. */
export function goJson(v: unknown): string {
  return canonicalJson(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The revision data of the set's current template. The template's metadata carries
 * `creationTimestamp: null` as Go encodes the typed template, so the bytes equal those kubectl
 * makes of the set when `rollout undo` checks whether the set already matches a revision.
 */
export function revisionData(set: StatefulSet): { spec: { template: Record<string, unknown> } } {
  const template = structuredClone(set.spec?.template ?? {}) as Record<string, unknown>;
  const metadata = (template['metadata'] ?? {}) as Record<string, unknown>;
  template['metadata'] = { creationTimestamp: null, ...metadata };
  return { spec: { template: { ...template, $patch: 'replace' } } };
}

export function revisionHash(data: unknown, collisionCount: number | undefined): string {
  const raw = goJson(data) + (collisionCount !== undefined ? String(collisionCount) : '');
  return safeEncode(String(fnv32(raw)));
}

/** Upstream ControllerRevisionName: the prefix cut to 223 characters. */
export function revisionName(setName: string, hash: string): string {
  return `${setName.length > 223 ? setName.slice(0, 223) : setName}-${hash}`;
}

/** A new ControllerRevision of `set` with number `revision` (upstream newRevision). */
export function newRevision(set: StatefulSet, revision: number, collisionCount: number): ControllerRevision {
  const data = revisionData(set);
  const hash = revisionHash(data, collisionCount);
  const annotations = set.metadata?.annotations;
  return {
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: {
      name: revisionName(set.metadata?.name ?? '', hash),
      namespace: set.metadata?.namespace,
      labels: { ...(set.spec?.template.metadata?.labels ?? {}), [REVISION_LABEL]: hash },
      ...(annotations && Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
      ownerReferences: [setControllerRef(set)],
    },
    data,
    revision,
  };
}

/** Same data (upstream EqualRevision compares the raw patches). */
export function equalRevisions(a: ControllerRevision, b: ControllerRevision): boolean {
  return canonicalJson(a.data ?? null) === canonicalJson(b.data ?? null);
}

/** The set with its template restored from the revision (upstream ApplyRevision). */
export function applyRevision(set: StatefulSet, rev: ControllerRevision): StatefulSet {
  const clone = structuredClone(set);
  const t = (rev.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template;
  if (t && clone.spec) {
    const { $patch: _, ...template } = structuredClone(t);
    const md = template['metadata'] as Record<string, unknown> | undefined;
    if (md && md['creationTimestamp'] === null) delete md['creationTimestamp'];
    clone.spec.template = template as PodTemplateSpec;
  }
  return clone;
}

/** Ascending by revision number, then by name (upstream SortControllerRevisions). */
export function byRevision(a: ControllerRevision, b: ControllerRevision): number {
  return a.revision - b.revision || ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1);
}
