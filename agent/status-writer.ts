/**
 * Writes a pod's status to the API only when it changed (vs. what the API shows and what this
 * writer last sent), as a merge patch of the status subresource; fields that went away are sent
 * as null. A pod that is gone (404) is not an error: there is nothing left to report to. What was
 * sent is written again when the API shows one of this node's conditions otherwise (upstream
 * needsReconcile): the node lifecycle controller marks the pods of a node it lost Ready=False, and
 * the node, back, puts them right.
 */
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import type { Logger } from 'pino';
import { findResource } from '../control/api/resources.js';
import { isApiError } from '../control/api/status.js';
import type { RestClient } from '../control/client/rest-client.js';
import { deepEqual } from '../control/util/deep-equal.js';

const PODS = findResource('', 'v1', 'pods')!;

/** The pod conditions the kubelet owns; PodScheduled, DisruptionTarget and readiness gates are others'. */
const NODE_CONDITIONS = new Set(['Ready', 'ContainersReady', 'Initialized', 'PodReadyToStartContainers']);

/** The API shows one of the node's conditions with another status than the node sends. */
function conditionsDrifted(current: PodStatus | undefined, status: PodStatus): boolean {
  if (!current) return false;
  return (status.conditions ?? []).some((c) => NODE_CONDITIONS.has(c.type) && current.conditions?.find((x) => x.type === c.type)?.status !== c.status);
}

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
    if (sent && deepEqual(sent, status) && !conditionsDrifted(target.current, status)) return false;
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
