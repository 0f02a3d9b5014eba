/**
 * PURE. Plans the EndpointSlices of one Service (upstream endpointslice reconciler, simplified):
 * desired endpoints are grouped by their port set; existing slices with the same ports keep the
 * endpoints still wanted (updated in place), fill with new ones up to the per-slice maximum, and
 * new slices take the rest; slices left empty or with ports no longer offered are deleted. A
 * Service with no endpoints keeps one empty placeholder slice, as upstream does.
 */
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { canonicalJson } from '../shared/canonical-json.js';

export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface DesiredGroup { ports: EndpointPort[]; endpoints: Endpoint[] }

export interface SlicePlan {
  /** New slices: endpoints and ports only (metadata is filled by the caller). */
  create: Array<{ ports: EndpointPort[]; endpoints: Endpoint[] }>;
  /** Existing slices with new content (clones; labels are applied by the caller). */
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

export const portsKey = (ports: readonly EndpointPort[]): string =>
  canonicalJson([...ports].map(canonicalJson).sort());

const endpointKey = (e: Endpoint): string => e.targetRef?.uid ?? e.addresses.join(',');

/** Group desired endpoints by port set. */
export function groupByPorts(entries: ReadonlyArray<{ ports: EndpointPort[]; endpoint: Endpoint }>): Map<string, DesiredGroup> {
  const groups = new Map<string, DesiredGroup>();
  for (const e of entries) {
    const k = portsKey(e.ports);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { ports: e.ports, endpoints: [] }));
    g.endpoints.push(e.endpoint);
  }
  return groups;
}

/** `labelsOk(slice)` tells whether an existing slice already has the labels it should. */
export function planSlices(opts: {
  desired: Map<string, DesiredGroup>;
  existing: readonly EndpointSlice[];
  labelsOk(slice: EndpointSlice): boolean;
  max?: number;
}): SlicePlan {
  const max = opts.max ?? MAX_ENDPOINTS_PER_SLICE;
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const existing = [...opts.existing].sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
  const total = [...opts.desired.values()].reduce((n, g) => n + g.endpoints.length, 0);

  if (total === 0) {
    const keep = existing.find((s) => s.endpoints.length === 0 && (s.ports ?? []).length === 0) ?? existing[0];
    for (const s of existing) if (s !== keep) plan.delete.push(s);
    if (!keep) plan.create.push({ ports: [], endpoints: [] });
    else if (keep.endpoints.length || (keep.ports ?? []).length || !opts.labelsOk(keep)) plan.update.push({ ...structuredClone(keep), endpoints: [], ports: [] });
    return plan;
  }

  const byKey = new Map<string, EndpointSlice[]>();
  for (const s of existing) {
    const k = portsKey(s.ports ?? []);
    if (!opts.desired.has(k)) { plan.delete.push(s); continue; }
    const list = byKey.get(k) ?? [];
    list.push(s);
    byKey.set(k, list);
  }

  for (const [k, group] of opts.desired) {
    const wanted = new Map(group.endpoints.map((e) => [endpointKey(e), e]));
    const placed = new Set<string>();
    const work = (byKey.get(k) ?? []).map((s) => {
      const kept: Endpoint[] = [];
      for (const e of s.endpoints) {
        const key = endpointKey(e);
        const w = wanted.get(key);
        if (w && !placed.has(key)) { kept.push(w); placed.add(key); }
      }
      return { slice: s, endpoints: kept, changed: canonicalJson(kept) !== canonicalJson(s.endpoints) || !opts.labelsOk(s) };
    });
    const leftover = group.endpoints.filter((e) => !placed.has(endpointKey(e)));
    // fill slices already being written first, then untouched ones, then emptied ones
    const fillOrder = [
      ...work.filter((w) => w.changed && w.endpoints.length > 0),
      ...work.filter((w) => !w.changed && w.endpoints.length > 0),
      ...work.filter((w) => w.endpoints.length === 0),
    ];
    for (const w of fillOrder) {
      while (leftover.length && w.endpoints.length < max) { w.endpoints.push(leftover.shift()!); w.changed = true; }
    }
    for (const w of work) {
      if (w.endpoints.length === 0) plan.delete.push(w.slice);
      else if (w.changed) plan.update.push({ ...structuredClone(w.slice), endpoints: w.endpoints, ports: group.ports });
    }
    for (let i = 0; i < leftover.length; i += max) plan.create.push({ ports: group.ports, endpoints: leftover.slice(i, i + max) });
  }
  return plan;
}
