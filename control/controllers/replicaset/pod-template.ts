/** The pod a replica controller creates from its template (upstream GetPodFromTemplate). */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { ReplicaOwner } from './replica-kind.js';

/** Pure: the pod to POST for `owner` (generateName `<owner>-`, the template's labels, annotations, finalizers and spec). */
export function podFromTemplate(owner: ReplicaOwner, ref: OwnerReference): Pod {
  const t = owner.spec?.template ?? {};
  const md = t.metadata ?? {};
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      generateName: `${owner.metadata?.name ?? ''}-`,
      namespace: owner.metadata?.namespace,
      ...(md.labels ? { labels: { ...md.labels } } : {}),
      ...(md.annotations ? { annotations: { ...md.annotations } } : {}),
      ...(md.finalizers ? { finalizers: [...md.finalizers] } : {}),
      ownerReferences: [ref],
    },
    spec: structuredClone(t.spec ?? { containers: [] }),
  };
}
