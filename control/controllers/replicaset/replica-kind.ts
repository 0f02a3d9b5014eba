/**
 * What differs between a ReplicaSet and a ReplicationController for the shared reconciler: the
 * resource, the owner reference to put on pods, the event source and how the selector reads
 * (a LabelSelector vs a plain label map).
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { ReplicaSetCondition } from 'kubernetes-types/apps/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isRecord } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { findResource } from '../../api/resources.js';
import { nothing, selectorFromLabelSelector, selectorFromSet } from '../../api/labels.js';
import type { Selector } from '../../api/labels.js';

/** The fields a ReplicaSet and a ReplicationController share. */
export interface ReplicaStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaSetCondition[];
}

export interface ReplicaOwner extends KubeObject {
  spec?: { replicas?: number; minReadySeconds?: number; selector?: unknown; template?: PodTemplateSpec };
  status?: ReplicaStatus;
}

export interface ReplicaKind {
  kind: 'ReplicaSet' | 'ReplicationController';
  apiVersion: string;
  ri: ResourceInfo;
  /** Event source component and logger name. */
  component: string;
  selector(owner: ReplicaOwner): Selector;
}

export function ownerRefFor(kind: ReplicaKind, owner: ReplicaOwner): OwnerReference {
  return {
    apiVersion: kind.apiVersion, kind: kind.kind, name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '',
    controller: true, blockOwnerDeletion: true,
  };
}

function safely(f: () => Selector): Selector {
  try { return f(); } catch { return nothing(); } // an invalid selector selects nothing (validation rejects it anyway)
}

export const REPLICA_SET_KIND: ReplicaKind = {
  kind: 'ReplicaSet', apiVersion: 'apps/v1', ri: findResource('apps', 'v1', 'replicasets')!, component: 'replicaset-controller',
  selector: (o) => safely(() => {
    const ls = o.spec?.selector as LabelSelector | undefined;
    const sel = selectorFromLabelSelector(ls);
    return sel.empty ? nothing() : sel;
  }),
};

export const REPLICATION_CONTROLLER_KIND: ReplicaKind = {
  kind: 'ReplicationController', apiVersion: 'v1', ri: findResource('', 'v1', 'replicationcontrollers')!, component: 'replication-controller',
  selector: (o) => safely(() => {
    const raw = o.spec?.selector;
    if (!isRecord(raw) || Object.keys(raw).length === 0) return nothing();
    return selectorFromSet(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)])));
  }),
};
