/** Applies a decoded patch document of a given type to the current object. */
import type { KubeObject } from '../../api/object.js';
import { isRecord } from '../../api/object.js';
import { badRequest, tooLarge } from '../../api/status.js';
import { applyJsonPatch } from '../patch/json-patch.js';
import { applyMergePatch } from '../patch/merge-patch.js';
import { JSON_PATCH_MAX_COPY_BYTES } from '../patch/patch-errors.js';
import { applyStrategicMergePatch } from '../patch/strategic-merge.js';
import { findTypeError, patchDecodingError } from '../openapi/type-errors.js';
import type { PatchType } from '../http/body.js';

/**
 * The patched object; 413 when it encodes to more than the request body limit, so no patch flavour
 * grows an object past what a PUT of it could carry; 422 when a field's JSON type no longer fits
 * the kind's schema (upstream decodes the patched object into its struct).
 */
export function applyPatch(type: PatchType, kind: string, apiVersion: string, current: KubeObject, patch: unknown): KubeObject {
  let out: unknown;
  switch (type) {
    case 'json': out = applyJsonPatch(current, patch); break;
    case 'merge': case 'apply': out = applyMergePatch(current, patch); break;
    case 'strategic': out = applyStrategicMergePatch(kind, apiVersion, current, patch); break;
  }
  if (!isRecord(out)) throw badRequest('the patch did not produce an object');
  if (Buffer.byteLength(JSON.stringify(out)) > JSON_PATCH_MAX_COPY_BYTES) throw tooLarge();
  const typeError = findTypeError(apiVersion, kind, out);
  if (typeError) throw patchDecodingError(out, typeError);
  return out as KubeObject;
}
