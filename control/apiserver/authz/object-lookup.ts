/**
 * What node authorization reads of the cluster: the pods of a namespace (the graph's edges), one
 * pod (is it bound to the node?) and one node (its UID for a mirror pod's owner). Upstream keeps
 * an informer-fed graph; tinykube reads the store when asked.
 */
import type { Node, PersistentVolume, Pod } from 'kubernetes-types/core/v1.js';
import { findResource } from '../../api/resources.js';
import type { ResourceInfo } from '../../api/resources.js';
import type { ObjectStore } from '../registry/object-store.js';

export interface ObjectLookup {
  /** Every pod in the namespace. */
  pods(namespace: string): Promise<Pod[]>;
  /** The pod, undefined when there is none. */
  pod(namespace: string, name: string): Promise<Pod | undefined>;
  /** The node, undefined when there is none. */
  node(name: string): Promise<Node | undefined>;
  /** The PersistentVolume, undefined when there is none (absent: nodes get no volumes). */
  volume?(name: string): Promise<PersistentVolume | undefined>;
}

const PODS = findResource('', 'v1', 'pods') as ResourceInfo;
const NODES = findResource('', 'v1', 'nodes') as ResourceInfo;
const PVS = findResource('', 'v1', 'persistentvolumes') as ResourceInfo;

/** Reads straight from the API server's object store. */
export function storeLookup(objects: ObjectStore): ObjectLookup {
  return {
    pods: async (namespace) => (await objects.list(PODS, namespace)).items as Pod[],
    pod: async (namespace, name) => (await objects.tryGet(PODS, namespace, name)) as Pod | undefined,
    node: async (name) => (await objects.tryGet(NODES, undefined, name)) as Node | undefined,
    volume: async (name) => (await objects.tryGet(PVS, undefined, name)) as PersistentVolume | undefined,
  };
}
