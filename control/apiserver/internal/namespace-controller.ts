/**
 * Namespace controller: a namespace marked for deletion (phase Terminating) has its contents
 * deleted, kind by kind; once nothing is left its `kubernetes` finalizer is cleared and the
 * namespace goes away. Level-based with a requeue while contents remain. An API server internal:
 * it lists and deletes every namespaced kind through the handler, as the garbage collector does.
 */
import type { Logger } from 'pino';
import type { Namespace } from 'kubernetes-types/core/v1.js';
import { RESOURCES, findResource, isCreateOnly } from '../../api/resources.js';
import type { ResourceInfo } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import { deleteObject } from '../registry/deleter.js';
import type { ResourceHandler, Scope } from '../registry/resource-handler.js';
import { WorkQueue } from '../../util/workqueue.js';

const NAMESPACES = findResource('', 'v1', 'namespaces')!;
const RECHECK_MS = 1000;

export class NamespaceController {
  private readonly queue = new WorkQueue<string>();
  constructor(private readonly opts: {
    handler: ResourceHandler; log: Logger;
    /** Resources defined at run time whose objects a namespace holds too (one per CustomResourceDefinition). */
    extraResources?: () => readonly ResourceInfo[];
  }) {}

  async run(signal: AbortSignal): Promise<void> {
    const objects = this.opts.handler.objects;
    const initial = await objects.list(NAMESPACES, undefined);
    for (const ns of initial.items) if (ns.metadata?.deletionTimestamp) this.queue.add(ns.metadata.name ?? '');
    void (async () => {
      try {
        for await (const ev of objects.watch(NAMESPACES, undefined, initial.revision, signal)) {
          if (ev.type !== 'DELETED' && ev.object.metadata?.deletionTimestamp) this.queue.add(ev.object.metadata.name ?? '');
        }
      } catch (err) {
        if (!signal.aborted) this.opts.log.error({ err }, 'Namespace watch ended');
      }
    })();
    for (;;) {
      const name = await this.queue.get(signal);
      if (name === undefined) return;
      try {
        const remaining = await this.reconcile(name);
        this.queue.forget(name);
        if (remaining > 0) this.queue.addAfter(name, RECHECK_MS);
      } catch (err) {
        this.opts.log.warn({ err, namespace: name }, 'Failed to delete namespace contents; retrying');
        this.queue.addRateLimited(name);
      } finally {
        this.queue.done(name);
      }
    }
  }

  /** Returns how many objects are still in the namespace. */
  async reconcile(name: string): Promise<number> {
    const h = this.opts.handler;
    const ns = (await h.objects.tryGet(NAMESPACES, undefined, name)) as Namespace | undefined;
    if (!ns?.metadata?.deletionTimestamp) return 0;
    let remaining = 0;
    for (const ri of [...RESOURCES, ...(this.opts.extraResources?.() ?? [])]) {
      if (!ri.namespaced || isCreateOnly(ri)) continue;
      const list = await h.objects.list(ri, name);
      remaining += list.items.length;
      for (const obj of list.items) {
        if (obj.metadata?.deletionTimestamp) continue;
        const scope: Scope = { ri, namespace: name, name: obj.metadata?.name, dryRun: false, fieldValidation: 'Ignore', warnings: [] };
        await deleteObject(h, scope, { propagationPolicy: 'Background' }).catch((err: unknown) => {
          if (!(isApiError(err) && err.code === 404)) throw err;
        });
      }
    }
    if (remaining > 0) return remaining;
    const scope: Scope = { ri: NAMESPACES, name, dryRun: false, fieldValidation: 'Ignore', warnings: [] };
    await h.update(scope, (cur) => ({ ...cur, spec: { finalizers: [] } }), { subresource: 'finalize' });
    this.opts.log.info({ namespace: name }, 'Deleted namespace');
    return 0;
  }
}
