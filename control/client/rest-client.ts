/**
 * A typed REST client over a Transport: the verbs controllers, the scheduler and agents need.
 * Failures come back as ApiError carrying the server's Status (callers switch on code/reason).
 */
import type { DeleteOptions, Status } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../api/object.js';
import { isRecord } from '../api/object.js';
import type { ResourceInfo } from '../api/resources.js';
import { groupVersion } from '../api/resources.js';
import { ApiError, genericFailure } from '../api/status.js';
import type { Transport } from './transport.js';
import { decodeWatchStream } from './watch.js';
import type { WatchEvent } from './watch.js';

export interface ListOptions { labelSelector?: string; fieldSelector?: string; resourceVersion?: string }
export interface WatchOptions extends ListOptions { timeoutSeconds?: number }
export interface ObjectList<T> { items: T[]; resourceVersion: string }
export type PatchType = 'merge' | 'strategic' | 'json';

const PATCH_CONTENT: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

export function resourcePath(ri: ResourceInfo, namespace?: string, name?: string, subresource?: string): string {
  let p = ri.group ? `/apis/${ri.group}/${ri.version}` : `/api/${ri.version}`;
  if (ri.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${ri.resource}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}

function query(q: Record<string, string | number | boolean | undefined>): string {
  const parts = Object.entries(q).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

export class RestClient {
  constructor(readonly transport: Transport, readonly opts: { fieldManager?: string } = {}) {}

  private async call<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const buf = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const res = await this.transport.request(method, path, buf, buf ? { 'Content-Type': contentType } : {});
    let parsed: unknown;
    try { parsed = res.body.length ? JSON.parse(res.body.toString('utf8')) : undefined; } catch { parsed = undefined; } // non-JSON error bodies: handled below
    if (res.status >= 200 && res.status < 300) return parsed as T;
    if (isRecord(parsed) && parsed['kind'] === 'Status') throw new ApiError({ ...(parsed as Status), code: res.status });
    throw genericFailure(res.status, `${method} ${path}: unexpected answer ${res.status}: ${res.body.toString('utf8').slice(0, 200)}`);
  }

  get<T extends KubeObject>(ri: ResourceInfo, namespace: string | undefined, name: string, subresource?: string): Promise<T> {
    return this.call<T>('GET', resourcePath(ri, namespace, name, subresource));
  }

  async list<T extends KubeObject>(ri: ResourceInfo, namespace?: string, opts: ListOptions = {}): Promise<ObjectList<T>> {
    const l = await this.call<{ items?: T[]; metadata?: { resourceVersion?: string } }>('GET', resourcePath(ri, namespace) + query({ ...opts }));
    const items = (l.items ?? []).map((o) => ({ apiVersion: groupVersion(ri), kind: ri.kind, ...o }));
    return { items, resourceVersion: l.metadata?.resourceVersion ?? '0' };
  }

  create<T extends KubeObject>(ri: ResourceInfo, namespace: string | undefined, obj: KubeObject): Promise<T> {
    return this.call<T>('POST', resourcePath(ri, namespace) + query({ fieldManager: this.opts.fieldManager }), obj);
  }

  /** PUT; carries obj.metadata.resourceVersion as the precondition when set. */
  update<T extends KubeObject>(ri: ResourceInfo, obj: KubeObject, opts: { subresource?: 'status' | 'approval' } = {}): Promise<T> {
    const md = obj.metadata ?? {};
    return this.call<T>('PUT', resourcePath(ri, md.namespace, md.name ?? '', opts.subresource) + query({ fieldManager: this.opts.fieldManager }), obj);
  }

  patch<T extends KubeObject>(ri: ResourceInfo, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts: { subresource?: string } = {}): Promise<T> {
    return this.call<T>('PATCH', resourcePath(ri, namespace, name, opts.subresource) + query({ fieldManager: this.opts.fieldManager }), patch, PATCH_CONTENT[type]);
  }

  async delete(ri: ResourceInfo, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<void> {
    await this.call('DELETE', resourcePath(ri, namespace, name), { kind: 'DeleteOptions', apiVersion: 'v1', ...opts });
  }

  /** POST pods/<name>/binding. */
  async bind(podRi: ResourceInfo, namespace: string, name: string, nodeName: string, uid?: string): Promise<void> {
    await this.call('POST', resourcePath(podRi, namespace, name, 'binding'), {
      kind: 'Binding', apiVersion: 'v1', metadata: { name, namespace, ...(uid ? { uid } : {}) }, target: { kind: 'Node', apiVersion: 'v1', name: nodeName },
    });
  }

  /** Watch a collection from a resourceVersion; the iterator ends when the server closes or the signal aborts. */
  async *watch<T extends KubeObject>(ri: ResourceInfo, namespace: string | undefined, opts: WatchOptions, signal: AbortSignal): AsyncIterable<WatchEvent<T>> {
    const path = resourcePath(ri, namespace) + query({ watch: 'true', allowWatchBookmarks: 'true', ...opts });
    const { status, body } = await this.transport.stream(path, {}, signal);
    if (status !== 200) {
      const chunks: Buffer[] = [];
      for await (const c of body) chunks.push(c as Buffer);
      let parsed: unknown;
      try { parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { parsed = undefined; } // not a Status: generic error below
      if (isRecord(parsed) && parsed['kind'] === 'Status') throw new ApiError({ ...(parsed as Status), code: status });
      throw genericFailure(status, `watch ${path}: ${status}`);
    }
    yield* decodeWatchStream<T>(body, signal);
  }
}
