/**
 * The CRD controller of the API server (upstream's naming, establishing and finalizing controllers
 * in one level-based loop): sets status.acceptedNames with NamesAccepted, then Established; for a
 * CRD marked for deletion deletes every custom resource of it, then lets it go (Terminating with
 * reason InstanceDeletionCompleted releases crd-strategy's hold). Runs in every API server; writes
 * only when something changes.
 */
import type { Logger } from 'pino';
import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import { deleteObject } from '../registry/deleter.js';
import type { ResourceHandler, Scope } from '../registry/resource-handler.js';
import { deepEqual } from '../../util/deep-equal.js';
import { WorkQueue } from '../../util/workqueue.js';
import { decideNames } from './crd-names.js';
import { INSTANCE_DELETION_COMPLETED, TERMINATING, setCondition } from './crd-strategy.js';
import { CRDS } from './custom-resource-registry.js';

const RECHECK_MS = 500;

export class CrdController {
  private readonly queue = new WorkQueue<string>();
  constructor(private readonly opts: { handler: ResourceHandler; log: Logger }) {}

  async run(signal: AbortSignal): Promise<void> {
    const objects = this.opts.handler.objects;
    signal.addEventListener('abort', () => this.queue.shutdown(), { once: true });
    void (async () => {
      while (!signal.aborted) {
        try {
          const initial = await objects.list(CRDS, undefined);
          for (const crd of initial.items) this.queue.add(crd.metadata?.name ?? '');
          for await (const ev of objects.watch(CRDS, undefined, initial.revision, signal)) {
            if (ev.type === 'DELETED') {
              // a name it held may now be free for another CRD of the group
              for (const o of (await objects.list(CRDS, undefined)).items) this.queue.add(o.metadata?.name ?? '');
            } else this.queue.add(ev.object.metadata?.name ?? '');
          }
        } catch (err) {
          if (signal.aborted) return;
          this.opts.log.warn({ err }, 'CustomResourceDefinition watch ended; listing again');
        }
        await new Promise((r) => setTimeout(r, signal.aborted ? 0 : RECHECK_MS));
      }
    })();
    for (;;) {
      const name = await this.queue.get(signal);
      if (name === undefined) return;
      try {
        const again = await this.reconcile(name);
        this.queue.forget(name);
        if (again) this.queue.addAfter(name, RECHECK_MS);
      } catch (err) {
        this.opts.log.warn({ err, crd: name }, 'Failed to reconcile CustomResourceDefinition; retrying');
        this.queue.addRateLimited(name);
      } finally {
        this.queue.done(name);
      }
    }
  }

  /** Returns true to look again soon (custom resources still being deleted). */
  async reconcile(name: string): Promise<boolean> {
    const h = this.opts.handler;
    const crd = (await h.objects.tryGet(CRDS, undefined, name)) as CustomResourceDefinition | undefined;
    if (!crd) return false;
    if (crd.metadata?.deletionTimestamp) return this.finalize(crd);
    const all = (await h.objects.list(CRDS, undefined)).items as unknown as CustomResourceDefinition[];
    const decision = decideNames(crd, all);
    const now = new Date();
    const status = structuredClone(crd.status ?? { acceptedNames: { plural: '', kind: '' } });
    status.acceptedNames = decision.accepted;
    status.conditions = setCondition(status.conditions, decision.conflict
      ? { type: 'NamesAccepted', status: 'False', ...decision.conflict }
      : { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' }, now);
    const established = (crd.status?.conditions ?? []).find((c) => c.type === 'Established')?.status === 'True';
    if (!decision.conflict) {
      status.conditions = setCondition(status.conditions, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }, now);
    } else if (!established) {
      status.conditions = setCondition(status.conditions, { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' }, now);
    }
    if (deepEqual(status, crd.status)) return false;
    await h.update(this.scope(name), (cur) => ({ ...cur, status }), { subresource: 'status' });
    this.opts.log.info({ crd: name, namesAccepted: !decision.conflict }, 'Updated CustomResourceDefinition status');
    return false;
  }

  private scope(name: string, ri: ResourceInfo = CRDS, namespace?: string): Scope {
    return { ri, name, namespace, dryRun: false, fieldValidation: 'Ignore', warnings: [] };
  }

  private async finalize(crd: CustomResourceDefinition): Promise<boolean> {
    const h = this.opts.handler;
    const name = crd.metadata?.name ?? '';
    const ri = storageResource(crd);
    if (ri) {
      const left = (await h.objects.list(ri, undefined)).items;
      for (const obj of left) {
        await deleteObject(h, this.scope(obj.metadata?.name ?? '', ri, obj.metadata?.namespace), {}).catch(ignoreNotFound);
      }
      if ((await h.objects.list(ri, undefined)).items.length > 0) return true;
    }
    await h.update(this.scope(name), (cur) => {
      const c = cur as unknown as CustomResourceDefinition;
      const status = structuredClone(c.status ?? { acceptedNames: { plural: '', kind: '' } });
      status.conditions = setCondition(status.conditions, {
        type: TERMINATING, status: 'False', reason: INSTANCE_DELETION_COMPLETED, message: 'removed all instances',
      }, new Date());
      return { ...cur, status } as KubeObject;
    }, { subresource: 'status' }).catch(ignoreNotFound);
    this.opts.log.info({ crd: name }, 'Deleted custom resources of CustomResourceDefinition');
    return false;
  }
}

/** Where a CRD's objects are stored, whatever their version (one storage per CRD). */
export function storageResource(crd: CustomResourceDefinition): ResourceInfo | undefined {
  const spec = crd.spec;
  const plural = crd.status?.acceptedNames?.plural || spec?.names?.plural;
  const kind = crd.status?.acceptedNames?.kind || spec?.names?.kind || '';
  const version = spec?.versions?.find((v) => v.storage)?.name ?? spec?.versions?.[0]?.name;
  if (!spec?.group || !plural || !version) return undefined;
  return {
    group: spec.group, version, kind, listKind: `${kind}List`, resource: plural, singular: plural,
    namespaced: spec.scope === 'Namespaced', storageName: `${spec.group}/${plural}`,
  };
}

function ignoreNotFound(err: unknown): undefined {
  if (isApiError(err) && err.status.code === 404) return undefined;
  throw err;
}
