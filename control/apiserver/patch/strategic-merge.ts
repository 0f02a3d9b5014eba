/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), following upstream
 * k8s.io/apimachinery strategicpatch: maps merge recursively and `null` deletes a key; lists with a
 * merge key merge element by element; lists of primitives with patchStrategy "merge" become a set;
 * every other list is replaced. Directives: `$patch` (replace | delete | merge) in maps and list
 * elements, `$retainKeys`, `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`.
 * Directives never reach the result. The inputs are never mutated.
 *
 * Deliberate differences from upstream: `$patch: merge` is accepted as a no-op (upstream rejects it),
 * values added where the live object had nothing are cleaned of directives and nulls, and live
 * list elements lacking the merge key are kept as server-only items instead of failing the patch.
 */
import { badRequest } from '../../api/status.js';
import { normalizeElementOrder, partitionByPresence } from './element-order.js';
import { cloneJson, getOwn, goJsonType, hasOwn, isObject, jsonEqual, setKey, type JsonObject } from './json-value.js';
import { lookupPatchField, rootPatchType, type FieldPatchMeta } from './merge-keys.js';
import { patchRejected } from './patch-errors.js';

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

/** Apply `patch` to a copy of `original`, an object of `kind` in `apiVersion` (which selects merge keys). */
export function applyStrategicMergePatch(kind: string, apiVersion: string, original: unknown, patch: unknown): unknown {
  if (patch !== null && !isObject(patch)) {
    throw badRequest(`json: cannot unmarshal ${goJsonType(patch)} into Go value of type map[string]interface {}`);
  }
  const base = isObject(original) ? cloneJson(original) : {};
  return mergeMap(base, cloneJson(patch ?? {}), rootPatchType(kind, apiVersion));
}

/**
 * A patch that names an unknown directive, mixes element types or drops a merge key is refused with
 * upstream's message as a 400: upstream answers these with a 500 (they are not Status errors there),
 * but the fault is the request's, and no request body may cause a 5xx.
 */
const describe = (v: unknown): string => JSON.stringify(v);

/** Merge `patch` into `original` in place (both are private copies) and return the result. */
function mergeMap(original: JsonObject, patch: JsonObject, type: string | undefined): JsonObject {
  if (hasOwn(patch, PATCH)) {
    const directive = patch[PATCH];
    delete patch[PATCH];
    if (directive === 'delete') return {};
    if (directive === 'replace') return mergeMap({}, patch, type);
    if (directive !== 'merge') throw badRequest(`Unknown patch type: ${String(directive)} in map: ${describe(patch)}`);
  }
  applyRetainKeys(original, patch);
  applySetElementOrder(original, patch, type);

  for (const [rawKey, value] of Object.entries(patch)) {
    if (rawKey.startsWith(DELETE_FROM)) {
      deleteFromPrimitiveList(original, rawKey.slice(DELETE_FROM.length), value);
      continue;
    }
    if (value === null) {
      delete original[rawKey];
      continue;
    }
    const field = lookupPatchField(type, rawKey);
    const current = getOwn(original, rawKey);
    if (isObject(current) && isObject(value)) setKey(original, rawKey, mergeMap(current, value, field?.type));
    else if (Array.isArray(current) && Array.isArray(value)) setKey(original, rawKey, mergeList(current, value, field));
    else setKey(original, rawKey, fresh(value, field));
  }
  return original;
}

/** A patch value for a place the live object has nothing (or a value of another shape). */
function fresh(value: unknown, field: FieldPatchMeta | undefined): unknown {
  if (isObject(value)) return mergeMap({}, value, field?.type);
  if (Array.isArray(value)) return mergeList([], value, field);
  return value;
}

/** `$retainKeys`: drop live keys not listed; every non-null patch key must be listed. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!hasOwn(patch, RETAIN_KEYS)) return;
  const keep = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(keep)) throw badRequest('invalid patch format of retainKeys');
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(SET_ORDER) || k.startsWith(DELETE_FROM)) continue;
    if (!keep.includes(k)) throw badRequest('invalid patch format of retainKeys');
  }
  for (const k of Object.keys(original)) if (!keep.includes(k)) delete original[k];
}

/** `$setElementOrder/<list>`: merge the named list now, then order it as the directive says. */
function applySetElementOrder(original: JsonObject, patch: JsonObject, type: string | undefined): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw badRequest('invalid patch format of setElementOrder list');
    const listKey = key.slice(SET_ORDER.length);
    const field = lookupPatchField(type, listKey);
    const live = getOwn(original, listKey);
    const current = Array.isArray(live) ? live : [];
    const listPatch = getOwn(patch, listKey);
    let merged: unknown[];
    if (Array.isArray(listPatch)) {
      merged = mergeList(current, listPatch, field);
      delete patch[listKey];
    } else if (listPatch === undefined && hasOwn(original, listKey)) {
      merged = current;
    } else {
      continue; // list deleted (null) or absent everywhere: nothing to order
    }
    const mergeKey = field?.merge ? field.mergeKey : orderKeyOf(order);
    const { present, absent } = partitionByPresence(merged, order, mergeKey);
    setKey(original, listKey, normalizeElementOrder(present, absent, order, current, mergeKey));
  }
}

/** For lists we have no schema for, a `$setElementOrder` of single-key objects names its own key. */
function orderKeyOf(order: readonly unknown[]): string | undefined {
  const first = order[0];
  if (!isObject(first)) return undefined;
  const keys = Object.keys(first);
  return keys.length === 1 ? keys[0] : undefined;
}

/** `$deleteFromPrimitiveList/<list>`: remove the given values from a list of primitives. */
function deleteFromPrimitiveList(original: JsonObject, listKey: string, values: unknown): void {
  if (!Array.isArray(values)) throw badRequest('invalid patch format of primitive list');
  const current = getOwn(original, listKey);
  if (Array.isArray(current)) {
    setKey(original, listKey, current.filter((item) => !values.some((v) => jsonEqual(v, item))));
  }
}

/** Merge two lists according to the field's patch strategy. */
function mergeList(original: unknown[], patch: unknown[], field: FieldPatchMeta | undefined): unknown[] {
  if (!field?.merge) return replacedList(patch);
  if (field.mergeKey === undefined) return mergePrimitiveSet(original, patch);
  return mergeKeyedList(original, patch, field.mergeKey, field.type);
}

/** A replaced list: the patch's elements, without directive-only elements, maps cleaned of directives. */
function replacedList(patch: unknown[]): unknown[] {
  return patch
    .filter((item) => !(isObject(item) && hasOwn(item, PATCH)))
    .map((item) => (isObject(item) ? mergeMap({}, item, undefined) : item));
}

function mergePrimitiveSet(original: unknown[], patch: unknown[]): unknown[] {
  if ([...original, ...patch].some((item) => Array.isArray(item))) throw patchRejected('lists of lists are not supported');
  const merged: unknown[] = [];
  for (const item of [...original, ...patch]) if (!merged.some((m) => m === item)) merged.push(item);
  const { present, absent } = partitionByPresence(merged, patch, undefined);
  return normalizeElementOrder(present, absent, patch, original, undefined);
}

function mergeKeyedList(original: unknown[], patch: unknown[], mergeKey: string, type: string | undefined): unknown[] {
  let live = original;
  const plain: JsonObject[] = [];
  let replace = false;
  for (const item of patch) {
    if (!isObject(item)) throw badRequest(`list element types are not identical: ${describe(patch)}`);
    if (!hasOwn(item, PATCH)) {
      plain.push(item);
      continue;
    }
    const directive = item[PATCH];
    if (directive === 'delete') {
      if (!hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
      live = live.filter((x) => !(isObject(x) && x[mergeKey] === item[mergeKey]));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      delete item[PATCH];
      if (hasOwn(item, mergeKey)) plain.push(item);
    } else {
      throw badRequest(`Unknown patch type: ${String(directive)} in map: ${describe(item)}`);
    }
  }
  if (replace) return plain.map((item) => mergeMap({}, item, type));

  const merged = [...live];
  for (const item of plain) {
    if (!hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    const at = merged.findIndex((x) => isObject(x) && x[mergeKey] === item[mergeKey]);
    const target = merged[at];
    if (at >= 0 && isObject(target)) merged[at] = mergeMap(target, item, type);
    else merged.push(mergeMap({}, item, type));
  }
  const { present, absent } = partitionByPresence(merged, plain, mergeKey);
  return normalizeElementOrder(present, absent, plain, live, mergeKey);
}

const noMergeKey = (item: JsonObject, mergeKey: string) =>
  badRequest(`map: ${describe(item)} does not contain declared merge key: ${mergeKey}`);
