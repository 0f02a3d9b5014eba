/**
 * Namespace strategy: phase Active and the `kubernetes` finalizer on create; a delete marks the
 * namespace Terminating until the namespace controller has emptied it and cleared spec.finalizers.
 */
import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { forbidden } from '../../../api/status.js';
import type { Strategy } from '../strategy.js';

export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];
export const NAMESPACE_FINALIZER = 'kubernetes';

export const namespaceStrategy: Strategy = {
  tracksGeneration: false,
  prepareForCreate(obj: KubeObject) {
    const ns = obj as Namespace;
    ns.spec = { ...(ns.spec ?? {}), finalizers: [NAMESPACE_FINALIZER] };
    ns.status = { phase: 'Active' };
    const name = ns.metadata?.name ?? '';
    ns.metadata = { ...ns.metadata, labels: { ...(ns.metadata?.labels ?? {}), 'kubernetes.io/metadata.name': name } };
  },
  prepareForUpdate(obj: KubeObject, old: KubeObject) {
    const ns = obj as Namespace;
    // spec.finalizers changes only through /finalize; status stays as stored
    ns.spec = { ...(ns.spec ?? {}), finalizers: (old as Namespace).spec?.finalizers };
    const name = ns.metadata?.name ?? '';
    ns.metadata = { ...ns.metadata, labels: { ...(ns.metadata?.labels ?? {}), 'kubernetes.io/metadata.name': name } };
  },
  holdsDeletion(obj: KubeObject) {
    return ((obj as Namespace).spec?.finalizers ?? []).length > 0;
  },
  beforeDelete(obj: KubeObject) {
    const name = obj.metadata?.name ?? '';
    if (IMMORTAL_NAMESPACES.includes(name)) throw forbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`);
    const ns = obj as Namespace;
    if ((ns.spec?.finalizers ?? []).length === 0) return undefined;
    return (cur: KubeObject) => ({ ...cur, status: { ...((cur['status'] ?? {}) as object), phase: 'Terminating' } });
  },
};
