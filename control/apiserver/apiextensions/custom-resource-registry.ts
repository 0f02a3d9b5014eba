/**
 * The custom resources this API server serves, kept level with the stored
 * CustomResourceDefinitions by a list + watch (as upstream's CRD handler follows its informer).
 * A lookup that misses reads the CRDs from storage once more, so a request right after a CRD became
 * Established is served even if the watch has not delivered that change yet.
 */
import type { Logger } from 'pino';
import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { findByKind, findResource, groupVersion } from '../../api/resources.js';
import { customResourcesOf } from './crd-resource.js';
import type { CustomResource } from './crd-resource.js';

export const CRDS = findResource('apiextensions.k8s.io', 'v1', 'customresourcedefinitions') as ResourceInfo;
const RETRY_MS = 1000;

/** What the registry reads of the object store (registry/object-store.ts ObjectStore). */
export interface CrdSource {
  list(ri: ResourceInfo, ns: undefined): Promise<{ items: KubeObject[]; revision: number }>;
  watch(ri: ResourceInfo, ns: undefined, from: number, signal: AbortSignal): AsyncIterable<{ type: string; object: KubeObject }>;
}

export class CustomResourceRegistry {
  private crds = new Map<string, CustomResourceDefinition>();
  private served: CustomResource[] = [];
  private listeners = new Set<() => void>();

  constructor(private readonly opts: { objects: CrdSource; log: Logger }) {}

  /** Follows the CRDs until the signal aborts; resolves after the first list. */
  start(signal: AbortSignal): Promise<void> {
    let listed: () => void = () => undefined;
    const first = new Promise<void>((r) => { listed = r; });
    signal.addEventListener('abort', () => listed(), { once: true });
    void (async () => {
      while (!signal.aborted) {
        try {
          const rev = await this.reload();
          listed();
          for await (const ev of this.opts.objects.watch(CRDS, undefined, rev, signal)) this.apply(ev.object as unknown as CustomResourceDefinition, ev.type === 'DELETED');
        } catch (err) {
          if (signal.aborted) return;
          this.opts.log.warn({ err }, 'CustomResourceDefinition watch ended; listing again');
        }
        await new Promise((r) => setTimeout(r, signal.aborted ? 0 : RETRY_MS));
      }
    })();
    return first;
  }

  /** Reads every CRD from storage; returns the list's revision. */
  async reload(): Promise<number> {
    const list = await this.opts.objects.list(CRDS, undefined);
    this.crds = new Map(list.items.map((o) => [o.metadata?.name ?? '', o as unknown as CustomResourceDefinition]));
    this.rebuild();
    return list.revision;
  }

  apply(crd: CustomResourceDefinition, deleted: boolean): void {
    const name = crd.metadata?.name ?? '';
    if (deleted) this.crds.delete(name);
    else this.crds.set(name, crd);
    this.rebuild();
  }

  /** Called after every change of what is served (discovery and OpenAPI caches). */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private rebuild(): void {
    const out: CustomResource[] = [];
    for (const crd of this.crds.values()) {
      for (const cr of customResourcesOf(crd)) {
        // a built-in resource or kind always wins (upstream serves the built-in group's handler first)
        if (!findResource(cr.ri.group, cr.ri.version, cr.ri.resource) && !findByKind(groupVersion(cr.ri), cr.ri.kind)) out.push(cr);
      }
    }
    this.served = out;
    for (const fn of this.listeners) fn();
  }

  /** Every served custom resource version, for discovery. */
  all(): readonly CustomResource[] { return this.served; }

  /** Every CRD, as last seen. */
  definitions(): CustomResourceDefinition[] { return [...this.crds.values()]; }

  /** The CRD object by name, as last seen. */
  crd(name: string): CustomResourceDefinition | undefined { return this.crds.get(name); }

  find(group: string, version: string, resource: string): CustomResource | undefined {
    return this.served.find((c) => c.ri.group === group && c.ri.version === version && c.ri.resource === resource);
  }

  /** As find, reading the CRDs from storage again when it misses. */
  async resolve(group: string, version: string, resource: string): Promise<CustomResource | undefined> {
    const hit = this.find(group, version, resource);
    if (hit || !group.includes('.')) return hit;
    await this.reload();
    return this.find(group, version, resource);
  }

  /** The custom resource an object belongs to, by its apiVersion and kind. */
  byKind(apiVersion: string | undefined, kind: string | undefined): CustomResource | undefined {
    if (!apiVersion || !kind) return undefined;
    return this.served.find((c) => groupVersion(c.ri) === apiVersion && c.ri.kind === kind);
  }

  /** The custom resource behind a ResourceInfo this registry handed out. */
  forResource(ri: ResourceInfo): CustomResource | undefined {
    if (!ri.storageName || ri.group === CRDS.group) return undefined;
    return this.find(ri.group, ri.version, ri.resource);
  }
}
