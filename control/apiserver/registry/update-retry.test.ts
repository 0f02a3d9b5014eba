import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { conflict } from '../../api/status.js';
import type { ResourceInfo } from '../../api/resources.js';
import { MemoryStore } from '../../store/memory/memory-store.js';
import { systemClock } from '../../util/clock.js';
import { kubeAdmission } from './kube-admission.js';
import { ObjectStore } from './object-store.js';
import { ResourceHandler } from './resource-handler.js';

/** A store whose writes lose the race `losses` times (as when controllers write the same object). */
class RacingStore extends ObjectStore {
  constructor(private losses: number) { super(new MemoryStore()); }
  override async update(ri: ResourceInfo, obj: KubeObject, expect: number): Promise<KubeObject> {
    if (this.losses-- > 0) throw conflict(ri, obj.metadata?.name ?? '');
    return super.update(ri, obj, expect);
  }
}

describe('ResourceHandler.update on conflicts', () => {
  const ri = findResource('', 'v1', 'configmaps')!;
  const scope = (name?: string) => ({ ri, namespace: 'default', ...(name ? { name } : {}), dryRun: false, fieldValidation: 'Strict' as const, warnings: [] });
  const handler = async (objects: ObjectStore): Promise<ResourceHandler> => {
    const h = new ResourceHandler({ objects, admission: kubeAdmission, clock: systemClock });
    const ns = findResource('', 'v1', 'namespaces')!;
    await h.create({ ri: ns, dryRun: false, fieldValidation: 'Strict', warnings: [] }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    return h;
  };

  it('keeps retrying an unpinned update that loses many races (upstream GuaranteedUpdate), re-applying it to the latest object', async () => {
    const objects = new RacingStore(0);
    const h = await handler(objects);
    await h.create(scope(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' }, data: { n: '0' } });
    (objects as unknown as { losses: number }).losses = 30;
    let applied = 0;
    // a patch's result: the current object changed, no resourceVersion of the client's
    const out = await h.update(scope('cm'), (cur) => {
      applied++;
      const { resourceVersion: _rv, ...meta } = cur.metadata ?? {};
      return { ...cur, metadata: meta, data: { ...(cur['data'] as object), n: '1' } };
    });
    expect(out['data']).toEqual({ n: '1' });
    expect(applied).toBe(31);
  });

  it('answers the conflict at once when the caller pinned a resourceVersion', async () => {
    const objects = new RacingStore(0);
    const h = await handler(objects);
    const created = await h.create(scope(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' }, data: { n: '0' } });
    (objects as unknown as { losses: number }).losses = 1;
    await expect(h.update(scope('cm'), (cur) => ({ ...cur, metadata: { ...cur.metadata, resourceVersion: created.metadata?.resourceVersion }, data: { n: '2' } })))
      .rejects.toMatchObject({ reason: 'Conflict' });
  });
});
