/**
 * The reconciler shared by the ReplicaSet and ReplicationController controllers (upstream
 * syncReplicaSet): claim the pods, then — once earlier creations/deletions have been observed —
 * create (slow-start batches 1, 2, 4, …) or delete (upstream ranking) pods to match
 * spec.replicas, then write the status. Level-based and idempotent; reads only the caches.
 */
import type { Logger } from 'pino';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { EventRecorder } from '../../client/events.js';
import type { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest-client.js';
import type { Clock } from '../../util/clock.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../controller.js';
import type { ControllerExpectations } from '../shared/expectations.js';
import { isPodActive } from '../../api/pod-conditions.js';
import { claimPods } from './pod-claim.js';
import { podsToDelete } from './pod-ranking.js';
import { podFromTemplate } from './pod-template.js';
import { ownerRefFor } from './replica-kind.js';
import type { ReplicaKind, ReplicaOwner, ReplicaStatus } from './replica-kind.js';
import { calculateReplicaStatus, sameStatus } from './replica-status.js';
import type { ManageError } from './replica-status.js';

const PODS = findResource('', 'v1', 'pods')!;
/** Upstream BurstReplicas: at most this many creations or deletions per sync. */
export const BURST_REPLICAS = 500;
const SLOW_START_INITIAL_BATCH = 1;

export interface ReplicaReconcilerOptions {
  kind: ReplicaKind;
  client: RestClient;
  owners: Informer<ReplicaOwner>;
  pods: Informer<Pod & KubeObject>;
  expectations: ControllerExpectations;
  recorder: EventRecorder;
  clock: Clock;
  log: Logger;
}

class ManageFailure extends Error {
  constructor(readonly detail: ManageError, opts?: ErrorOptions) { super(detail.message, opts); this.name = 'ManageFailure'; }
}

const errMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class ReplicaReconciler implements Reconciler {
  constructor(private readonly o: ReplicaReconcilerOptions) {}

  async reconcile(key: ObjectKey): Promise<ReconcileResult> {
    const { kind, expectations } = this.o;
    const cached = this.o.owners.cache.get(key);
    if (!cached) { expectations.delete(key); return; }
    const owner = structuredClone(cached);
    const md = owner.metadata ?? {};
    const needsSync = expectations.satisfied(key) && !md.deletionTimestamp;
    const active = this.o.pods.cache.list(md.namespace).filter(isPodActive);
    const ref = ownerRefFor(kind, owner);
    const owned = await claimPods({ client: this.o.client, ref, selector: kind.selector(owner), ownerDeleting: !!md.deletionTimestamp }, active);

    let remaining = owned;
    let failure: ManageFailure | undefined;
    if (needsSync) {
      try {
        remaining = await this.manage(key, owner, owned);
      } catch (err) {
        if (!(err instanceof ManageFailure)) throw err;
        failure = err;
      }
    }
    const now = this.o.clock.now();
    const status = calculateReplicaStatus(owner, remaining, failure?.detail, now);
    await this.writeStatus(owner, status);
    if (failure) throw failure;
    const minReady = owner.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && status.readyReplicas === (owner.spec?.replicas ?? 1) && status.availableReplicas !== status.readyReplicas) {
      return { requeueAfterMs: minReady * 1000 };
    }
  }

  /** Create or delete pods; returns the pods left after deletions. */
  private async manage(key: string, owner: ReplicaOwner, pods: Pod[]): Promise<Pod[]> {
    const diff = pods.length - (owner.spec?.replicas ?? 1);
    if (diff < 0) {
      await this.createPods(key, owner, Math.min(-diff, BURST_REPLICAS));
      return pods;
    }
    if (diff > 0) {
      const doomed = podsToDelete(pods, Math.min(diff, BURST_REPLICAS));
      const deleted = await this.deletePods(key, owner, doomed);
      return pods.filter((p) => !deleted.has(p.metadata?.uid ?? ''));
    }
    return pods;
  }

  private async createPods(key: string, owner: ReplicaOwner, count: number): Promise<void> {
    const { expectations, recorder, client, kind } = this.o;
    expectations.expectCreations(key, count);
    const pod = podFromTemplate(owner, ownerRefFor(kind, owner));
    const ns = owner.metadata?.namespace;
    let left = count;
    let batch = Math.min(left, SLOW_START_INITIAL_BATCH);
    while (batch > 0) {
      const results = await Promise.allSettled(Array.from({ length: batch }, () => client.create<Pod & KubeObject>(PODS, ns, structuredClone(pod) as KubeObject)));
      let firstErr: unknown;
      for (const r of results) {
        if (r.status === 'fulfilled') {
          recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata?.name ?? ''}`);
        } else {
          expectations.creationObserved(key); // the informer will never see this one
          firstErr ??= r.reason;
          recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${errMessage(r.reason)}`);
        }
      }
      left -= batch;
      if (firstErr !== undefined) {
        for (let i = 0; i < left; i++) expectations.creationObserved(key); // skipped: not expected either
        throw new ManageFailure({ reason: 'FailedCreate', message: errMessage(firstErr) }, { cause: firstErr });
      }
      batch = Math.min(2 * batch, left);
    }
    this.o.log.debug({ key, count }, 'Created pods');
  }

  /** Returns the uids actually deleted (or already gone). */
  private async deletePods(key: string, owner: ReplicaOwner, pods: Pod[]): Promise<Set<string>> {
    const { expectations, recorder, client } = this.o;
    expectations.expectDeletions(key, pods.map((p) => keyOf(p)));
    const results = await Promise.allSettled(pods.map((p) =>
      client.delete(PODS, p.metadata?.namespace, p.metadata?.name ?? '', { preconditions: { uid: p.metadata?.uid } })));
    const deleted = new Set<string>();
    let firstErr: unknown;
    results.forEach((r, i) => {
      const p = pods[i]!;
      const name = p.metadata?.name ?? '';
      if (r.status === 'fulfilled') {
        deleted.add(p.metadata?.uid ?? '');
        recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
        return;
      }
      expectations.deletionObserved(key, keyOf(p));
      if (isApiError(r.reason) && r.reason.code === 404) { deleted.add(p.metadata?.uid ?? ''); return; }
      firstErr ??= r.reason;
      recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${errMessage(r.reason)}`);
    });
    if (firstErr !== undefined) throw new ManageFailure({ reason: 'FailedDelete', message: errMessage(firstErr) }, { cause: firstErr });
    return deleted;
  }

  /** PUT /status when it changed; on a conflict retry once on the fresh object. NotFound: done. */
  private async writeStatus(owner: ReplicaOwner, status: ReplicaStatus): Promise<void> {
    if (sameStatus(owner.status, status)) return;
    const { client, kind } = this.o;
    const md = owner.metadata ?? {};
    let target: ReplicaOwner = owner;
    for (let attempt = 0; ; attempt++) {
      try {
        await client.update(kind.ri, { ...target, apiVersion: kind.apiVersion, kind: kind.kind, status }, { subresource: 'status' });
        return;
      } catch (err) {
        if (isApiError(err) && err.code === 404) return;
        if (!(isApiError(err) && err.code === 409) || attempt >= 1) throw err;
        target = await client.get<ReplicaOwner>(kind.ri, md.namespace, md.name ?? '');
        if (target.metadata?.uid !== md.uid) return;
      }
    }
  }
}
