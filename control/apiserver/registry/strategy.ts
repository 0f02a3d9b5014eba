/**
 * Per-kind rules layered on the generic handler (upstream's RESTCreateStrategy / RESTUpdateStrategy /
 * graceful-delete strategy). Every hook is optional; the generic handler does the rest.
 */
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import type { FieldError } from '../../api/status.js';

/** The authenticated user a request came from (upstream user.Info). */
export interface RequestUser { name: string; uid?: string; groups: string[]; extra?: Record<string, string[]> }

/** Subresources that write part of the stored object. */
export type WriteSubresource = 'status' | 'approval';

export interface StrategyContext {
  ri: ResourceInfo;
  now: Date;
  dryRun: boolean;
  /** Who is asking; absent for writes the server makes itself. */
  user?: RequestUser;
}

export interface Strategy {
  /** Mutate a new object before validation (status reset, allocations). Throws ApiError to refuse. */
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): Promise<void> | void;
  /** Mutate an updated object (main resource) before validation; `old` is the stored object. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): Promise<void> | void;
  /**
   * After a prepareForUpdate that returned: `written` says whether `obj` replaced `old` in the store
   * (false: refused by validation, a conflict retried, dry run, no change). Commit or undo side
   * effects here (release what `old` held and `obj` dropped, or what prepareForUpdate took).
   */
  finishUpdate?(obj: KubeObject, old: KubeObject, written: boolean): void;
  /**
   * Narrow an update through a subresource: `obj` is the stored object with the proposed status
   * (upstream's status / approval strategies' PrepareForUpdate).
   */
  prepareForSubresourceUpdate?(subresource: WriteSubresource, obj: KubeObject, old: KubeObject, ctx: StrategyContext): void;
  /** Validation of a subresource update, instead of the kind's generic update validation. */
  validateSubresourceUpdate?(subresource: WriteSubresource, obj: KubeObject, old: KubeObject): FieldError[];
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
  /**
   * Whether a status (or approval) write also takes the proposed metadata (labels, annotations, …), as
   * upstream's status strategies that only put the old spec back do (Ingress, CSR). Otherwise it keeps
   * the stored one.
   */
  statusWritesMetadata?: boolean;
}

const GENERATION_KINDS = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController', 'StatefulSet']);

export function defaultStrategy(kind: string): Strategy {
  return { tracksGeneration: GENERATION_KINDS.has(kind) };
}
