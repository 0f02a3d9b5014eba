/** Applies a decoded patch document of a given type to the current object. */
import type { KubeObject } from '../../api/object.js';
import { isRecord } from '../../api/object.js';
import { badRequest } from '../../api/status.js';
import { applyJsonPatch } from '../patch/json-patch.js';
import { applyMergePatch } from '../patch/merge-patch.js';
import { applyStrategicMergePatch } from '../patch/strategic-merge.js';
import type { PatchType } from '../http/body.js';

export function applyPatch(type: PatchType, kind: string, apiVersion: string, current: KubeObject, patch: unknown): KubeObject {
  let out: unknown;
  switch (type) {
    case 'json': out = applyJsonPatch(current, patch); break;
    case 'merge': case 'apply': out = applyMergePatch(current, patch); break;
    case 'strategic': out = applyStrategicMergePatch(kind, apiVersion, current, patch); break;
  }
  if (!isRecord(out)) throw badRequest('the patch did not produce an object');
  return out as KubeObject;
}
