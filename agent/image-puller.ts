/**
 * Makes sure a container's image is present per imagePullPolicy (kubelet's images.imageManager):
 * Never / IfNotPresent / Always, with a per pod+image backoff (10 s doubling to 300 s). Outcomes
 * carry the waiting reason and message kubelet shows (ErrImagePull, ImagePullBackOff,
 * ErrImageNeverPull) and events go out with upstream reasons (Pulling, Pulled, Failed, BackOff).
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../control/api/object.js';
import { defaultPullPolicy } from '../control/api/defaults/pod.js';
import type { Clock } from '../control/util/clock.js';
import type { Runtime } from '../cri/types.js';
import type { Backoff } from './backoff.js';
import { formatDuration } from '../control/util/duration.js';

export type PullOutcome =
  | { ok: true; imageRef: string }
  | { ok: false; reason: 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull'; message: string; retryInMs?: number };

export interface PodEventSink { event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void }

export class ImagePuller {
  constructor(private readonly o: { runtime: Runtime; events: PodEventSink; backoff: Backoff; clock: Clock }) {}

  async ensure(pod: Pod, c: Container, signal?: AbortSignal): Promise<PullOutcome> {
    const image = c.image ?? '';
    const obj = pod as KubeObject;
    const policy = c.imagePullPolicy ?? defaultPullPolicy(image);
    const present = await this.o.runtime.imageStatus({ image });
    if (policy === 'Never' || (policy === 'IfNotPresent' && present)) {
      if (present) {
        this.o.events.event(obj, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
        return { ok: true, imageRef: present.id };
      }
      const message = `Container image "${image}" is not present with pull policy of Never`;
      this.o.events.event(obj, 'Warning', 'ErrImageNeverPull', message);
      return { ok: false, reason: 'ErrImageNeverPull', message };
    }
    const key = `${pod.metadata?.uid ?? ''}/${image}`;
    const last = this.o.backoff.lastUpdate(key);
    if (last !== undefined && this.o.backoff.inBackoffSince(key, last)) {
      const message = `Back-off pulling image "${image}"`;
      this.o.events.event(obj, 'Normal', 'BackOff', message);
      return { ok: false, reason: 'ImagePullBackOff', message, retryInMs: this.o.backoff.remaining(key, last) };
    }
    this.o.events.event(obj, 'Normal', 'Pulling', `Pulling image "${image}"`);
    const start = this.o.clock.now().getTime();
    try {
      const imageRef = await this.o.runtime.pullImage({ image }, undefined, signal);
      const took = formatDuration(Math.max(0, this.o.clock.now().getTime() - start));
      const size = (await this.o.runtime.imageStatus({ image }))?.size ?? 0;
      this.o.events.event(obj, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${size} bytes.`);
      this.o.backoff.reset(key);
      return { ok: true, imageRef };
    } catch (err) {
      const delay = this.o.backoff.next(key);
      const message = `Failed to pull image "${image}": ${err instanceof Error ? err.message : String(err)}`;
      this.o.events.event(obj, 'Warning', 'Failed', message);
      this.o.events.event(obj, 'Warning', 'Failed', 'Error: ErrImagePull');
      return { ok: false, reason: 'ErrImagePull', message, retryInMs: delay };
    }
  }
}
