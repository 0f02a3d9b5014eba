/**
 * The Job controller's pod operations (upstream RealPodControl + finalizer patches): create and
 * delete pods with SuccessfulCreate/SuccessfulDelete events, and drop the tracking finalizer.
 * Expectations are raised before each call and lowered again when a call fails.
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { EventRecorder } from '../../client/events.js';
import type { RestClient } from '../../client/rest-client.js';
import type { ControllerExpectations } from '../shared/expectations.js';
import { newJobPod, REMOVE_FINALIZER_PATCH } from './job-pods.js';

const PODS = findResource('', 'v1', 'pods')!;

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class JobPodControl {
  constructor(private readonly o: { client: RestClient; recorder: EventRecorder; expectations: ControllerExpectations }) {}

  /** Creates n pods; returns how many were created and the first error. */
  async create(job: Job & KubeObject, key: string, n: number): Promise<{ created: number; err?: unknown }> {
    this.o.expectations.expectCreations(key, n);
    let created = 0;
    let first: unknown;
    await Promise.all(Array.from({ length: n }, async () => {
      try {
        const pod = await this.o.client.create<Pod & KubeObject>(PODS, job.metadata?.namespace, newJobPod(job) as unknown as KubeObject);
        created++;
        this.o.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata?.name ?? ''}`);
      } catch (err) {
        this.o.expectations.creationObserved(key);
        this.o.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${message(err)}`);
        first ??= err;
      }
    }));
    return first === undefined ? { created } : { created, err: first };
  }

  /** Deletes pods, optionally dropping the tracking finalizer first (so they are not counted). */
  async delete(job: Job & KubeObject, key: string, pods: readonly Pod[], opts: { removeFinalizer: boolean }): Promise<{ deleted: number; err?: unknown }> {
    this.o.expectations.expectDeletions(key, pods.map((p) => keyOf(p)));
    let deleted = 0;
    let first: unknown;
    await Promise.all(pods.map(async (p) => {
      const name = p.metadata?.name ?? '';
      try {
        if (opts.removeFinalizer) await this.removeFinalizer(p);
        await this.o.client.delete(PODS, p.metadata?.namespace, name, { preconditions: { uid: p.metadata?.uid } });
        deleted++;
        this.o.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
      } catch (err) {
        this.o.expectations.deletionObserved(key, keyOf(p));
        if (isApiError(err) && err.code === 404) { deleted++; return; }
        this.o.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${message(err)}`);
        first ??= err;
      }
    }));
    return first === undefined ? { deleted } : { deleted, err: first };
  }

  /** Idempotent: a pod that is gone counts as done. Returns the uids whose finalizer is gone. */
  async removeFinalizers(pods: readonly Pod[]): Promise<{ removed: Set<string>; err?: unknown }> {
    const removed = new Set<string>();
    let first: unknown;
    await Promise.all(pods.map(async (p) => {
      try {
        await this.removeFinalizer(p);
        removed.add(p.metadata?.uid ?? '');
      } catch (err) {
        first ??= err;
      }
    }));
    return first === undefined ? { removed } : { removed, err: first };
  }

  private async removeFinalizer(p: Pod): Promise<void> {
    try {
      await this.o.client.patch(PODS, p.metadata?.namespace, p.metadata?.name ?? '', 'strategic', REMOVE_FINALIZER_PATCH);
    } catch (err) {
      if (!(isApiError(err) && err.code === 404)) throw err;
    }
  }
}
