/**
 * Per-kind rules layered on the generic handler (upstream's RESTCreateStrategy / RESTUpdateStrategy /
 * graceful-delete strategy). Every hook is optional; the generic handler does the rest.
 */
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';

export interface StrategyContext {
  ri: ResourceInfo;
  now: Date;
  dryRun: boolean;
}

export interface Strategy {
  /** Mutate a new object before validation (status reset, allocations). Throws ApiError to refuse. */
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): Promise<void> | void;
  /** Mutate an updated object (main resource) before validation; `old` is the stored object. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): Promise<void> | void;
  /** Undo side effects of prepareForCreate when the write did not happen (e.g. release an IP). */
  rollbackCreate?(obj: KubeObject): void;
  /** Release what the object held once it is gone from the store. */
  afterDelete?(obj: KubeObject): void;
  /** Seconds of grace for a delete; 0 or undefined deletes at once. */
  gracePeriodSeconds?(obj: KubeObject, requested: number | undefined): number | undefined;
  /**
   * Called before a delete. Throw to refuse; return a mutation to keep the object, marked for
   * deletion with that change applied, until something else finishes it (namespaces).
   */
  beforeDelete?(obj: KubeObject): ((cur: KubeObject) => KubeObject) | undefined;
  /** True while something other than metadata.finalizers keeps a deleted object (namespace spec.finalizers). */
  holdsDeletion?(obj: KubeObject): boolean;
  /** Whether spec changes bump metadata.generation. */
  tracksGeneration?: boolean;
}

const GENERATION_KINDS = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController', 'StatefulSet']);

export function defaultStrategy(kind: string): Strategy {
  return { tracksGeneration: GENERATION_KINDS.has(kind) };
}
