/**
 * Node health as the node lifecycle controller sees it (upstream tryUpdateNodeHealth): the last
 * time *this controller observed* a heartbeat (a new Ready lastHeartbeatTime or a newer Lease
 * renewTime), by its own clock, so clock skew between nodes and the control plane does not
 * matter. A node not heard from for the grace period gets its kubelet-owned conditions Unknown.
 */
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../../util/clock.js';

/** Conditions set Unknown when the kubelet goes silent (NetworkUnavailable is not the kubelet's). */
export const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

interface Observation { heartbeat?: string; renewTime?: number; probeAt: number }

export class NodeHealthTracker {
  private readonly seen = new Map<string, Observation>();

  /** Record what the node and its lease show now; returns when a heartbeat was last observed (ms). */
  observe(node: Node, lease: Lease | undefined, now: number): number {
    const name = node.metadata?.name ?? '';
    const heartbeat = node.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
    const renewTime = lease?.spec?.renewTime ? Date.parse(lease.spec.renewTime) : undefined;
    const o = this.seen.get(name);
    if (!o) {
      this.seen.set(name, { heartbeat, renewTime, probeAt: now });
      return now;
    }
    if (heartbeat !== o.heartbeat) { o.heartbeat = heartbeat; o.probeAt = now; }
    if (renewTime !== undefined && !Number.isNaN(renewTime) && (o.renewTime === undefined || renewTime > o.renewTime)) {
      o.renewTime = renewTime;
      o.probeAt = now;
    }
    return o.probeAt;
  }

  forget(name: string): void { this.seen.delete(name); }

  /** Names being tracked (to forget deleted nodes). */
  names(): string[] { return [...this.seen.keys()]; }
}

/**
 * The node's conditions with the kubelet-owned ones set Unknown, or undefined when they already
 * are. Missing conditions are added as never updated.
 */
export function unknownConditions(node: Node, now: Date): NodeCondition[] | undefined {
  const conditions = structuredClone(node.status?.conditions ?? []);
  let changed = false;
  const ts = rfc3339(now);
  for (const type of KUBELET_CONDITIONS) {
    const c = conditions.find((x) => x.type === type);
    if (!c) {
      conditions.push({
        type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.',
        lastHeartbeatTime: node.metadata?.creationTimestamp ?? ts, lastTransitionTime: ts,
      });
      changed = true;
    } else if (c.status !== 'Unknown') {
      c.status = 'Unknown';
      c.reason = 'NodeStatusUnknown';
      c.message = 'Kubelet stopped posting node status.';
      c.lastTransitionTime = ts;
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}
