/**
 * The /scale subresource of a custom resource: spec.replicas, status.replicas and the selector
 * read from the paths the CRD names, a new spec.replicas written back at specReplicasPath.
 */
import type { Scale } from 'kubernetes-types/autoscaling/v1.js';
import type { CustomResourceSubresourceScale } from 'kubernetes-types/apiextensions/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceHandler, Scope } from '../registry/resource-handler.js';
import { proposedReplicas } from '../routes/scale.js';
import { evalJsonPath, setJsonPath } from './json-path.js';

export function customScaleOf(obj: KubeObject, paths: CustomResourceSubresourceScale): Scale {
  const md = obj.metadata ?? {};
  const num = (path: string): number => { const v = evalJsonPath(obj, path)[0]; return typeof v === 'number' ? v : 0; };
  const sel = paths.labelSelectorPath ? evalJsonPath(obj, paths.labelSelectorPath)[0] : undefined;
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name: md.name, namespace: md.namespace, uid: md.uid, resourceVersion: md.resourceVersion, creationTimestamp: md.creationTimestamp },
    spec: { replicas: num(paths.specReplicasPath) },
    status: { replicas: num(paths.statusReplicasPath), ...(typeof sel === 'string' && sel ? { selector: sel } : {}) },
  };
}

export async function updateCustomScale(h: ResourceHandler, scope: Scope, paths: CustomResourceSubresourceScale, next: (current: Scale) => unknown): Promise<Scale> {
  const updated = await h.update({ ...scope, fieldValidation: 'Ignore' }, (parent) => {
    const cur = customScaleOf(parent, paths);
    const replicas = proposedReplicas(scope, cur, next(cur));
    const out = structuredClone(parent);
    setJsonPath(out, paths.specReplicasPath, replicas);
    return { ...out, metadata: { ...out.metadata, resourceVersion: undefined } };
  });
  return customScaleOf(updated, paths);
}
