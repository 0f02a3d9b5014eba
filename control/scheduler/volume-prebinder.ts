/**
 * The VolumeBinding plugin's PreBind (upstream volumebinding PreBind + BindPodVolumes): for the node
 * chosen, each unbound WaitForFirstConsumer claim of the pod is either given an Available matching
 * volume (the volume's claimRef, as upstream's scheduler writes it) or the
 * `volume.kubernetes.io/selected-node` annotation, for its provisioner; then the pod waits until
 * the PV controller has bound every claim (or the timeout ends the attempt: the bind fails and the
 * pod goes back to the queue, as upstream's bindTimeout).
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Logger } from 'pino';
import { findResource } from '../api/resources.js';
import type { ResourceInfo } from '../api/resources.js';
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE } from '../api/storage-names.js';
import { findMatchingVolume } from '../api/volume-match.js';
import type { RestClient } from '../client/rest-client.js';
import { sleep } from '../util/abort.js';
import { isDelayed, podClaimNames } from './plugins/volume-binding.js';
import type { VolumeLister } from './plugins/volume-binding.js';

const PVS = findResource('', 'v1', 'persistentvolumes') as ResourceInfo;
const PVCS = findResource('', 'v1', 'persistentvolumeclaims') as ResourceInfo;

export interface VolumePreBinderOptions {
  client: RestClient;
  lister: VolumeLister;
  node(name: string): Node | undefined;
  log: Logger;
  /** How long a pod waits for its claims to be bound (upstream bindTimeoutSeconds, 600 s). */
  timeoutMs?: number;
  pollMs?: number;
}

export class VolumePreBinder {
  private readonly assumedVolumes = new Set<string>();

  constructor(private readonly o: VolumePreBinderOptions) {}

  /** Volume names being bound by a PreBind in flight (the filter skips them). */
  assumed(): ReadonlySet<string> { return this.assumedVolumes; }

  async preBind(pod: Pod, nodeName: string, signal?: AbortSignal): Promise<void> {
    const { lister, client } = this.o;
    const ns = pod.metadata?.namespace ?? 'default';
    const names = podClaimNames(pod);
    const mine: string[] = [];
    try {
      for (const name of names) {
        const pvc = lister.claim(ns, name);
        if (!pvc) throw new Error(`persistentvolumeclaim "${name}" not found`);
        if (pvc.spec?.volumeName || !isDelayed(pvc, lister)) continue;
        const node = this.o.node(nodeName);
        const pv = node ? findMatchingVolume(pvc, lister.volumes(), { node, delayBinding: true, taken: this.assumedVolumes }) : undefined;
        if (pv && !pv.spec?.claimRef) {
          const pvName = pv.metadata?.name ?? '';
          this.assumedVolumes.add(pvName);
          mine.push(pvName);
          const md = pvc.metadata ?? {};
          await client.patch(PVS, undefined, pvName, 'merge', {
            metadata: { annotations: { [ANN_BOUND_BY_CONTROLLER]: 'yes' }, resourceVersion: pv.metadata?.resourceVersion },
            spec: { claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: ns, name, uid: md.uid, resourceVersion: md.resourceVersion } },
          });
          this.o.log.debug({ pod: `${ns}/${pod.metadata?.name ?? ''}`, pvc: name, pv: pvName }, 'Bound volume for claim');
        } else if (!pv && pvc.metadata?.annotations?.[ANN_SELECTED_NODE] !== nodeName) {
          await client.patch(PVCS, ns, name, 'merge', { metadata: { annotations: { [ANN_SELECTED_NODE]: nodeName } } });
        }
      }
      await this.waitBound(ns, names, signal);
    } finally {
      for (const n of mine) this.assumedVolumes.delete(n);
    }
  }

  private async waitBound(ns: string, names: readonly string[], signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + (this.o.timeoutMs ?? 600_000);
    for (;;) {
      const pending = names.filter((n) => {
        const c = this.o.lister.claim(ns, n);
        return !c?.spec?.volumeName || c.metadata?.annotations?.[ANN_BIND_COMPLETED] !== 'yes';
      });
      if (pending.length === 0) return;
      if (Date.now() >= deadline) throw new Error(`binding volumes: context deadline exceeded (claims ${pending.join(', ')} are not bound)`);
      if (signal?.aborted) throw new Error('binding volumes: aborted');
      await sleep(this.o.pollMs ?? 100, signal ?? new AbortController().signal);
    }
  }
}
