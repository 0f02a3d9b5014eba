/**
 * PersistentVolume and PersistentVolumeClaim strategies (upstream pkg/registry/core/persistentvolume
 * and persistentvolumeclaim): a new object starts with an empty status (Pending; a PV also records
 * lastPhaseTransitionTime, a claim's dataSource and dataSourceRef are made consistent), the main
 * resource keeps the stored status, and /status keeps the spec but takes the rest. A PV's lastPhaseTransitionTime follows phase changes made through /status.
 */
import type { KubeObject } from '../../../api/object.js';
import { validatePersistentVolumeClaimStatusUpdate, validatePersistentVolumeStatusUpdate } from '../../../api/validation/storage.js';
import { rfc3339 } from '../../../util/clock.js';
import type { Strategy, StrategyContext } from '../strategy.js';

interface PvStatus { phase?: string; lastPhaseTransitionTime?: string }

export const persistentVolumeStrategy: Strategy = {
  statusWritesMetadata: true,
  prepareForCreate(obj: KubeObject, ctx: StrategyContext): void {
    obj['status'] = { phase: 'Pending', lastPhaseTransitionTime: rfc3339(ctx.now) };
  },
  prepareForSubresourceUpdate(_sub, obj, old, ctx): void {
    const cur = (obj['status'] ?? {}) as PvStatus;
    const prev = (old['status'] ?? {}) as PvStatus;
    if (cur.phase === prev.phase && cur.lastPhaseTransitionTime === undefined) {
      if (prev.lastPhaseTransitionTime !== undefined) obj['status'] = { ...cur, lastPhaseTransitionTime: prev.lastPhaseTransitionTime };
    } else if (cur.phase !== prev.phase && (cur.lastPhaseTransitionTime === undefined || cur.lastPhaseTransitionTime === prev.lastPhaseTransitionTime)) {
      obj['status'] = { ...cur, lastPhaseTransitionTime: rfc3339(ctx.now) };
    }
  },
  validateSubresourceUpdate: (_sub, obj, old) => validatePersistentVolumeStatusUpdate(obj, old),
};

type Ref = { apiGroup?: string; kind?: string; name?: string; namespace?: string };

/**
 * EnsureDataSourceConsistency (AnyVolumeDataSource, on in 1.32): a claim with only dataSource gets the
 * same dataSourceRef; one with only a same-namespace dataSourceRef gets the same dataSource.
 */
function ensureDataSourceConsistency(obj: KubeObject): void {
  const spec = obj['spec'] as { dataSource?: Ref; dataSourceRef?: Ref } | undefined;
  if (!spec) return;
  const pick = (r: Ref): Ref => Object.fromEntries(Object.entries({ apiGroup: r.apiGroup, kind: r.kind, name: r.name }).filter(([, v]) => v !== undefined));
  if (spec.dataSource && !spec.dataSourceRef) spec.dataSourceRef = pick(spec.dataSource);
  else if (spec.dataSourceRef && !spec.dataSource && !spec.dataSourceRef.namespace) spec.dataSource = pick(spec.dataSourceRef);
}

export const persistentVolumeClaimStrategy: Strategy = {
  statusWritesMetadata: true,
  prepareForCreate(obj: KubeObject): void {
    obj['status'] = { phase: 'Pending' };
    ensureDataSourceConsistency(obj);
  },
  validateSubresourceUpdate: (_sub, obj, old) => validatePersistentVolumeClaimStatusUpdate(obj, old),
};
