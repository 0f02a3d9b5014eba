/**
 * Order of a merged list after a strategic merge patch (upstream normalizeElementOrder):
 * items named by the patch (or by its `$setElementOrder`) follow the patch's order; items only the
 * server had keep their relative order; the two runs are interleaved using the positions in the
 * live list, and a patch item the live list does not know comes before the remaining server items.
 */
import { isObject } from './json-value.js';

/** Identity of a list element: its merge-key value for lists of objects, the value itself otherwise. */
export function elementId(item: unknown, mergeKey: string | undefined): unknown {
  if (mergeKey === undefined) return item;
  return isObject(item) ? item[mergeKey] : undefined;
}

export function indexById(list: readonly unknown[], item: unknown, mergeKey: string | undefined): number {
  const id = elementId(item, mergeKey);
  if (id === undefined) return -1;
  return list.findIndex((x) => elementId(x, mergeKey) === id);
}

/** Split `merged` into the items present in `by` and the others, keeping order. */
export function partitionByPresence(merged: readonly unknown[], by: readonly unknown[], mergeKey: string | undefined):
  { present: unknown[]; absent: unknown[] } {
  const present: unknown[] = [];
  const absent: unknown[] = [];
  for (const item of merged) (indexById(by, item, mergeKey) >= 0 ? present : absent).push(item);
  return { present, absent };
}

/** Stable sort of `items` by their position in `order`; items missing from `order` keep their place at the end. */
function sortByOrder(items: readonly unknown[], order: readonly unknown[], mergeKey: string | undefined): unknown[] {
  const rank = (x: unknown): number => {
    const i = indexById(order, x, mergeKey);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return items.map((item, i) => ({ item, i, r: rank(item) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((e) => e.item);
}

/**
 * Merge `patchItems` (ordered by `patchOrder`) with `serverOnly` (ordered by `serverOrder`, the
 * live list), taking a server item first only when the live list places it before the patch item.
 */
export function normalizeElementOrder(patchItems: readonly unknown[], serverOnly: readonly unknown[],
  patchOrder: readonly unknown[], serverOrder: readonly unknown[], mergeKey: string | undefined): unknown[] {
  const right = sortByOrder(patchItems, patchOrder, mergeKey);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const li = indexById(serverOrder, left[i], mergeKey);
    const ri = indexById(serverOrder, right[j], mergeKey);
    if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
    else out.push(right[j++]);
  }
  return out.concat(left.slice(i), right.slice(j));
}
