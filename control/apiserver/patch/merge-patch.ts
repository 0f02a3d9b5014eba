/**
 * JSON Merge Patch (RFC 7386, `application/merge-patch+json`): objects merge recursively, `null`
 * deletes a key, every other value (arrays included) replaces the target. As upstream
 * (evanphx/json-patch), a patch that is `null` or a scalar is 400 `Invalid JSON Patch`, and a patch
 * that is an array, or that meets a non-object document, becomes the result with its nulls pruned.
 * The input document is never mutated.
 */
import { badRequest } from '../../api/status.js';
import { cloneJson, getOwn, isObject, setKey, type JsonObject } from './json-value.js';

export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object') throw badRequest('Invalid JSON Patch');
  if (!isObject(patch) || !isObject(doc)) return pruneNulls(patch);
  return mergeInto(cloneJson(doc), patch);
}

/** Merge `patch` into `target` in place; `target` is already a private copy. */
function mergeInto(target: JsonObject, patch: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete target[key];
    } else if (isObject(value)) {
      const current = getOwn(target, key);
      setKey(target, key, mergeInto(isObject(current) ? current : {}, value));
    } else {
      setKey(target, key, cloneJson(value));
    }
  }
  return target;
}

/** Copy of a patch value with null members of objects removed (arrays keep their elements). */
function pruneNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneNulls);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) setKey(out, k, pruneNulls(v));
  return out;
}
