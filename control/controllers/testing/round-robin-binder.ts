/**
 * A test-only stand-in for the scheduler: binds every unscheduled pod (default scheduler) to the
 * given nodes in turn through `pods/binding`. No filters, no scores; it only lets controller tests
 * see their pods reach a FakeKubelet and become Running and Ready.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { RestClient } from '../../client/rest-client.js';
import type { Runnable } from '../context.js';

const PODS = findResource('', 'v1', 'pods')!;

export class RoundRobinBinder implements Runnable {
  private next = 0;
  private readonly bound = new Set<string>();

  constructor(private readonly o: { client: RestClient; nodes: readonly string[] }) {}

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
    if (pod.spec?.nodeName || md.deletionTimestamp || this.bound.has(uid) || this.o.nodes.length === 0) return;
    const sched = pod.spec?.schedulerName;
    if (sched && sched !== 'default-scheduler') return;
    const node = this.o.nodes[this.next++ % this.o.nodes.length] ?? '';
    try {
      await this.o.client.bind(PODS, md.namespace ?? 'default', md.name ?? '', node, uid);
      this.bound.add(uid);
    } catch (err) {
      // the pod went away or was bound meanwhile: nothing to do
      if (!(isApiError(err) && (err.code === 404 || err.code === 409))) throw err;
    }
  }
}
