/**
 * Writes a pod's status to the API only when it changed (vs. what the API shows and what this
 * writer last sent), as a merge patch of the status subresource; fields that went away are sent
 * as null. A pod that is gone (404) is not an error: there is nothing left to report to.
 */
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import type { Logger } from 'pino';
import { findResource } from '../control/api/resources.js';
import { isApiError } from '../control/api/status.js';
import type { RestClient } from '../control/client/rest-client.js';
import { deepEqual } from '../control/util/deep-equal.js';

const PODS = findResource('', 'v1', 'pods')!;

/** The API object a status goes to: the pod itself, or a static pod's mirror. */
export interface StatusTarget { namespace: string; name: string; current?: PodStatus }

export class StatusWriter {
  private readonly last = new Map<string, PodStatus>();

  constructor(private readonly o: { client: RestClient; log: Logger }) {}

  /** The status this writer last sent for `uid` (the freshest view of a pod's state). */
  lastWritten(uid: string): PodStatus | undefined { return this.last.get(uid); }

  forget(uid: string): void { this.last.delete(uid); }

  async write(uid: string, target: StatusTarget, status: PodStatus): Promise<boolean> {
    const sent = this.last.get(uid);
    if (sent && deepEqual(sent, status)) return false;
    const clean = JSON.parse(JSON.stringify(status)) as PodStatus;
    if (target.current && deepEqual(target.current, clean) && !sent) { this.last.set(uid, status); return false; }
    const patch: Record<string, unknown> = { ...clean };
    for (const k of Object.keys(target.current ?? {})) if (!(k in patch)) patch[k] = null;
    try {
      await this.o.client.patch(PODS, target.namespace, target.name, 'merge', { status: patch }, { subresource: 'status' });
      this.last.set(uid, status);
      return true;
    } catch (err) {
      if (isApiError(err) && err.code === 404) return false;
      throw new Error(`update status of pod ${target.namespace}/${target.name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
}
