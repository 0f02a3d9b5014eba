/**
 * Test-only stand-in for the scheduler's NodeAffinity filter: binds each unscheduled pod to the
 * node named in its required `matchFields metadata.name In [node]` affinity (how DaemonSet pods
 * ask for their node). Pods without such affinity are left alone.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { RestClient } from '../../client/rest-client.js';
import type { Runnable } from '../context.js';
import { daemonPodNode } from './daemon-pod.js';

const PODS = findResource('', 'v1', 'pods')!;

export class DaemonBinder implements Runnable {
  private readonly bound = new Set<string>();

  constructor(private readonly o: { client: RestClient }) {}

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const list = await this.o.client.list<Pod & KubeObject>(PODS, undefined, { fieldSelector: 'spec.nodeName=' });
        for (const p of list.items) await this.bind(p);
        for await (const ev of this.o.client.watch<Pod & KubeObject>(PODS, undefined, { resourceVersion: list.resourceVersion, fieldSelector: 'spec.nodeName=' }, signal)) {
          if (ev.type === 'ADDED' || ev.type === 'MODIFIED') await this.bind(ev.object);
        }
      } catch (err) {
        if (signal.aborted) return;
        if (!(isApiError(err) && err.code === 410)) await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  private async bind(pod: Pod & KubeObject): Promise<void> {
    const md = pod.metadata ?? {};
    const uid = md.uid ?? '';
    if (pod.spec?.nodeName || md.deletionTimestamp || this.bound.has(uid)) return;
    const node = daemonPodNode(pod);
    if (!node) return;
    try {
      await this.o.client.bind(PODS, md.namespace ?? 'default', md.name ?? '', node, uid);
      this.bound.add(uid);
    } catch (err) {
      // the pod went away or was bound meanwhile: nothing to do
      if (!(isApiError(err) && (err.code === 404 || err.code === 409))) throw err;
    }
  }
}
