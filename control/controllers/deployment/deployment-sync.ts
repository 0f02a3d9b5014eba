/**
 * One sync of one Deployment: the working copy of the deployment and the writes a rollout step
 * makes (scale a replica set, update its annotations, record the revision, write the status).
 * Writes carry the cached resourceVersion; a conflict throws and the key is retried.
 */
import type { Logger } from 'pino';
import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import type { EventRecorder } from '../../client/events.js';
import type { RestClient } from '../../client/rest-client.js';
import type { Clock } from '../../util/clock.js';
import { REVISION_ANNOTATION, maxSurge, replicasOf, setReplicasAnnotations } from './deployment-util.js';
import { rolloutStatus, calculateStatus, sameStatus } from './deployment-status.js';

export const DEPLOYMENTS = findResource('apps', 'v1', 'deployments')!;
export const REPLICASETS = findResource('apps', 'v1', 'replicasets')!;

export interface DeploymentSyncOptions { client: RestClient; recorder: EventRecorder; clock: Clock; log: Logger }

export class DeploymentSync {
  /** When the rollout wants another look (progress deadline). */
  requeueAfterMs?: number;
  /** ReplicaSets written during this sync, by uid (newer than the cache). */
  private readonly written = new Map<string, ReplicaSet>();

  constructor(readonly o: DeploymentSyncOptions, public d: Deployment) {}

  now(): Date { return this.o.clock.now(); }

  event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.o.recorder.event(this.d as KubeObject, type, reason, message);
  }

  /** The latest version of each ReplicaSet known to this sync. */
  current(rsList: readonly ReplicaSet[]): ReplicaSet[] {
    const uids = new Set(rsList.map((rs) => rs.metadata?.uid ?? ''));
    const created = [...this.written.values()].filter((rs) => !uids.has(rs.metadata?.uid ?? ''));
    return [...rsList.map((rs) => this.written.get(rs.metadata?.uid ?? '') ?? rs), ...created];
  }

  /** Remember a ReplicaSet this sync created. */
  created(rs: ReplicaSet): void { this.written.set(rs.metadata?.uid ?? '', rs); }

  async updateReplicaSet(rs: ReplicaSet): Promise<ReplicaSet> {
    const updated = await this.o.client.update<ReplicaSet & KubeObject>(REPLICASETS, { ...rs, apiVersion: 'apps/v1', kind: 'ReplicaSet' } as KubeObject);
    this.written.set(updated.metadata?.uid ?? '', updated);
    return updated;
  }

  /** Upstream scaleReplicaSet: set replicas and the desired/max annotations; event when the size changed. */
  async scaleReplicaSet(rs: ReplicaSet, newScale: number): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const copy = structuredClone(rs);
    const sizeChanged = replicasOf(rs) !== newScale;
    copy.spec = { ...copy.spec!, replicas: newScale };
    const annotationsChanged = setReplicasAnnotations(copy, replicasOf(this.d), replicasOf(this.d) + maxSurge(this.d));
    if (!sizeChanged && !annotationsChanged) return { scaled: false, rs };
    const updated = await this.updateReplicaSet(copy);
    if (sizeChanged) {
      const op = replicasOf(rs) < newScale ? 'up' : 'down';
      this.event('Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata?.name ?? ''} from ${replicasOf(rs)} to ${newScale}`);
    }
    return { scaled: sizeChanged, rs: updated };
  }

  /** Record the current revision on the deployment (a metadata patch; status writes cannot carry it). */
  async setDeploymentRevision(revision: string): Promise<void> {
    const md = this.d.metadata ?? {};
    if (md.annotations?.[REVISION_ANNOTATION] === revision) return;
    const updated = await this.o.client.patch<Deployment & KubeObject>(DEPLOYMENTS, md.namespace, md.name ?? '', 'merge',
      { metadata: { annotations: { [REVISION_ANNOTATION]: revision } } });
    this.d.metadata = { ...md, annotations: { ...(md.annotations ?? {}), [REVISION_ANNOTATION]: revision }, resourceVersion: updated.metadata?.resourceVersion };
  }

  /** PUT /status when it differs from the working copy's. */
  async writeStatus(status: DeploymentStatus): Promise<void> {
    if (sameStatus(this.d.status, status)) return;
    const updated = await this.o.client.update<Deployment & KubeObject>(DEPLOYMENTS,
      { ...this.d, apiVersion: 'apps/v1', kind: 'Deployment', status } as KubeObject, { subresource: 'status' });
    this.d = { ...this.d, status, metadata: { ...this.d.metadata, resourceVersion: updated.metadata?.resourceVersion } };
  }

  /** Status after scaling or while paused: counts and Available only. */
  async syncDeploymentStatus(allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): Promise<void> {
    await this.writeStatus(calculateStatus(this.d, allRSs, newRS, this.now()));
  }

  /** Status after a rollout step, with the Progressing condition. */
  async syncRolloutStatus(allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): Promise<void> {
    const { status, requeueAfterMs } = rolloutStatus(this.d, allRSs, newRS, this.now());
    await this.writeStatus(status);
    this.requeueAfterMs = requeueAfterMs;
  }
}
