/**
 * Keeps a PolicyIndex level with the store: lists each RBAC resource, then watches it from the
 * list's revision; when a watch ends (compaction, a store hiccup) it lists again. `synced`
 * resolves once every resource has been listed once: the authorizer waits for it.
 */
import type { Logger } from 'pino';
import { findResource } from '../../../api/resources.js';
import type { ResourceInfo } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/object.js';
import type { PolicyIndex } from './policy-index.js';

export const RBAC_RESOURCES: readonly ResourceInfo[] = ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings']
  .map((r) => findResource('rbac.authorization.k8s.io', 'v1', r) as ResourceInfo);

const RETRY_MS = 1000;

/** What the watch reads of the object store (registry/object-store.ts ObjectStore). */
export interface PolicySource {
  list(ri: ResourceInfo, ns: undefined): Promise<{ items: KubeObject[]; revision: number }>;
  watch(ri: ResourceInfo, ns: undefined, from: number, signal: AbortSignal): AsyncIterable<{ type: string; object: KubeObject }>;
}

export interface PolicyWatch {
  /** Resolves once every RBAC resource has been listed. */
  synced: Promise<void>;
}

/** Starts feeding the index until the signal aborts. */
export function watchPolicy(opts: { objects: PolicySource; index: PolicyIndex; log: Logger; signal: AbortSignal }): PolicyWatch {
  const listed = RBAC_RESOURCES.map((ri) => follow(ri, opts));
  return { synced: Promise.all(listed.map((l) => l.first)).then(() => undefined) };
}

function follow(ri: ResourceInfo, o: { objects: PolicySource; index: PolicyIndex; log: Logger; signal: AbortSignal }): { first: Promise<void> } {
  let markListed: () => void = () => undefined;
  const first = new Promise<void>((resolve) => { markListed = resolve; });
  o.signal.addEventListener('abort', () => markListed(), { once: true });
  void (async () => {
    while (!o.signal.aborted) {
      try {
        const list = await o.objects.list(ri, undefined);
        o.index.clear(ri.kind);
        for (const obj of list.items) o.index.apply(ri.kind, obj, false);
        markListed();
        for await (const ev of o.objects.watch(ri, undefined, list.revision, o.signal)) o.index.apply(ri.kind, ev.object, ev.type === 'DELETED');
      } catch (err) {
        if (o.signal.aborted) return;
        o.log.warn({ err, resource: ri.resource }, 'RBAC policy watch ended; listing again');
      }
      await new Promise((r) => setTimeout(r, o.signal.aborted ? 0 : RETRY_MS));
    }
  })();
  return { first };
}
