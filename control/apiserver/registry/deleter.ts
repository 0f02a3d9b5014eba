/**
 * DELETE semantics: preconditions, finalizers (including the GC's foregroundDeletion / orphan),
 * graceful deletion (pods), and the immediate case. Returns the object and whether it is gone.
 */
import type { DeleteOptions } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import { conflict } from '../../api/status.js';
import { rfc3339 } from '../../util/clock.js';
import type { ResourceHandler, Scope } from './resource-handler.js';

export const FINALIZER_FOREGROUND = 'foregroundDeletion';
export const FINALIZER_ORPHAN = 'orphan';

export interface DeleteResult { object: KubeObject; deleted: boolean }

export async function deleteObject(h: ResourceHandler, scope: Scope, opts: DeleteOptions): Promise<DeleteResult> {
  const { ri } = scope;
  const name = scope.name ?? '';
  const current = await h.objects.get(ri, scope.namespace, name);
  const md = current.metadata ?? {};
  const pre = opts.preconditions;
  if (pre?.uid && pre.uid !== md.uid) {
    throw conflict(ri, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${md.uid ?? ''}`);
  }
  if (pre?.resourceVersion && pre.resourceVersion !== md.resourceVersion) {
    throw conflict(ri, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${md.resourceVersion ?? ''}`);
  }
  await h.validateByWebhooks(scope, 'DELETE', undefined, current);
  const policy = opts.propagationPolicy ?? (opts.orphanDependents ? 'Orphan' : undefined);
  const finalizers = [...(md.finalizers ?? [])];
  if (policy === 'Foreground' && !finalizers.includes(FINALIZER_FOREGROUND)) finalizers.push(FINALIZER_FOREGROUND);
  if (policy === 'Orphan' && !finalizers.includes(FINALIZER_ORPHAN)) finalizers.push(FINALIZER_ORPHAN);
  if (policy === 'Background') {
    const i = finalizers.indexOf(FINALIZER_ORPHAN);
    if (i >= 0 && !md.deletionTimestamp) finalizers.splice(i, 1);
  }

  const st = h.strategy(ri);
  const hold = st.beforeDelete?.(current);
  const requested = opts.gracePeriodSeconds ?? undefined;
  const grace = st.gracePeriodSeconds?.(current, requested) ?? 0;
  const now = h.ctx(scope).now;
  const alreadyGrace = md.deletionGracePeriodSeconds;

  if (finalizers.length === 0 && grace === 0 && !hold) {
    if (scope.dryRun) return { object: current, deleted: true };
    const gone = await h.objects.delete(ri, scope.namespace, name, Number(md.resourceVersion));
    st.afterDelete?.(gone);
    return { object: gone, deleted: true };
  }

  // Mark for deletion: set (or shorten) the deletion timestamp and grace period, keep finalizers.
  const shorten = alreadyGrace === undefined || grace < alreadyGrace;
  if (md.deletionTimestamp && !shorten && !hold && deepSame(finalizers, md.finalizers ?? [])) {
    return { object: current, deleted: false };
  }
  const updated = await h.update({ ...scope, fieldValidation: 'Ignore' }, (cur) => {
    const m = { ...(cur.metadata ?? {}) };
    if (!m.deletionTimestamp || shorten) {
      m.deletionTimestamp = rfc3339(new Date(now.getTime() + grace * 1000));
      m.deletionGracePeriodSeconds = grace;
    }
    m.finalizers = finalizers.length > 0 ? finalizers : undefined;
    return { ...cur, metadata: m };
  }, { allowMetaDeletion: true });
  if (hold && !scope.dryRun) await h.update({ ...scope, fieldValidation: 'Ignore' }, hold, { subresource: 'status' });
  const still = scope.dryRun ? updated : await h.objects.tryGet(ri, scope.namespace, name);
  return { object: still ?? updated, deleted: still === undefined };
}

function deepSame(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
