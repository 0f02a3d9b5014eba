/** The node's heartbeat: its Lease in kube-node-lease, created or renewed (leaseDurationSeconds 40). */
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { KubeObject } from '../control/api/object.js';
import { findResource } from '../control/api/resources.js';
import { isApiError } from '../control/api/status.js';
import type { RestClient } from '../control/client/rest-client.js';
import type { Clock } from '../control/util/clock.js';

const LEASES = findResource('coordination.k8s.io', 'v1', 'leases')!;
export const LEASE_NAMESPACE = 'kube-node-lease';
export const LEASE_DURATION_SECONDS = 40;

/** metav1.MicroTime: RFC3339 with microseconds. */
export const microTime = (d: Date): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export async function renewLease(client: RestClient, nodeName: string, clock: Clock, owner?: { uid: string }): Promise<void> {
  const renewTime = microTime(clock.now());
  try {
    const cur = await client.get<Lease & KubeObject>(LEASES, LEASE_NAMESPACE, nodeName);
    const next = { ...cur, spec: { ...(cur.spec ?? {}), holderIdentity: nodeName, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime } };
    await client.update(LEASES, next as KubeObject);
  } catch (err) {
    if (!(isApiError(err) && err.code === 404)) throw err;
    const lease: Lease = {
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
      metadata: {
        name: nodeName, namespace: LEASE_NAMESPACE,
        ...(owner ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: owner.uid }] } : {}),
      },
      spec: { holderIdentity: nodeName, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime },
    };
    await client.create(LEASES, LEASE_NAMESPACE, lease as KubeObject);
  }
}
