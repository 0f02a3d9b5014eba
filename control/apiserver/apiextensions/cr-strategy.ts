/**
 * The REST rules of a custom resource (upstream customresource strategy): with the status
 * subresource, status is dropped on create and ignored on the main resource; generation starts at
 * 1 and moves when anything but metadata (and status, with the subresource) changes.
 */
import type { KubeObject } from '../../api/object.js';
import { methodNotAllowed } from '../../api/status.js';
import type { Strategy } from '../registry/strategy.js';
import { deepEqual } from '../../util/deep-equal.js';
import type { CustomResource } from './crd-resource.js';

function content(obj: KubeObject, withStatus: boolean): Record<string, unknown> {
  const { metadata: _m, apiVersion: _a, kind: _k, status, ...rest } = obj;
  return withStatus ? { ...rest, status } : rest;
}

export function customResourceStrategy(cr: CustomResource): Strategy {
  return {
    prepareForCreate(obj) {
      if (cr.terminating) throw methodNotAllowed(`create not allowed while custom resource definition is terminating`);
      if (cr.status) delete obj['status'];
      obj.metadata = { ...obj.metadata, generation: 1 };
    },
    prepareForUpdate(obj, old) {
      const gen = old.metadata?.generation ?? 1;
      const changed = !deepEqual(content(obj, !cr.status), content(old, !cr.status));
      obj.metadata = { ...obj.metadata, generation: changed ? gen + 1 : gen };
    },
  };
}
