/** What the claim and volume syncs read and write through: caches, the client, events. */
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { Logger } from 'pino';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import type { ResourceInfo } from '../../api/resources.js';
import type { RestClient } from '../../client/rest-client.js';
import type { EventRecorder } from '../../client/events.js';

export const PVS = findResource('', 'v1', 'persistentvolumes') as ResourceInfo;
export const PVCS = findResource('', 'v1', 'persistentvolumeclaims') as ResourceInfo;
export const PODS = findResource('', 'v1', 'pods') as ResourceInfo;
export const NODES = findResource('', 'v1', 'nodes') as ResourceInfo;
export const CLASSES = findResource('storage.k8s.io', 'v1', 'storageclasses') as ResourceInfo;

export type PvObj = PersistentVolume & KubeObject;
export type PvcObj = PersistentVolumeClaim & KubeObject;

export interface PvEnv {
  client: RestClient;
  recorder: EventRecorder;
  log: Logger;
  volume(name: string): PvObj | undefined;
  volumes(): readonly PvObj[];
  claim(key: string): PvcObj | undefined;
  /** The claim from the API server (not the cache); undefined when there is none. */
  fetchClaim(namespace: string, name: string): Promise<PvcObj | undefined>;
  storageClass(name: string): StorageClass | undefined;
  node(name: string): Node | undefined;
  /** Pods of the namespace, from the cache. */
  pods(namespace: string): readonly Pod[];
}
