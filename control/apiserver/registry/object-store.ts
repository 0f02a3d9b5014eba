/**
 * ObjectStore: Kubernetes objects over the byte Store. Objects are stored as JSON without
 * metadata.resourceVersion; it is filled in from the key's modRevision on every read (as the
 * etcd3 storage of the apiserver does). Store errors become ApiErrors here, and nowhere else.
 */
import type { Store, KeyValue, WatchEvent } from '../../store/types.js';
import { isStoreError } from '../../store/types.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { storageKey, storagePrefix } from '../../api/resources.js';
import { alreadyExists, conflict, notFound, expired, serviceUnavailable } from '../../api/status.js';
import type { ApiError } from '../../api/status.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

export function encodeObject(obj: KubeObject): Uint8Array {
  const md = obj.metadata;
  if (md && md.resourceVersion !== undefined) {
    const { resourceVersion: _rv, ...rest } = md;
    return enc.encode(JSON.stringify({ ...obj, metadata: rest }));
  }
  return enc.encode(JSON.stringify(obj));
}

export function decodeKv(kv: KeyValue, rev: number = kv.modRevision): KubeObject {
  const obj = JSON.parse(dec.decode(kv.value)) as KubeObject;
  obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(rev) };
  return obj;
}

export interface ObjectEvent { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject; prev?: KubeObject; revision: number }

export class ObjectStore {
  constructor(private readonly store: Store) {}

  get raw(): Store { return this.store; }

  async get(ri: ResourceInfo, ns: string | undefined, name: string): Promise<KubeObject> {
    const kv = await this.wrap(ri, name, () => this.store.get(storageKey(ri, ns, name)));
    if (!kv) throw notFound(ri, name);
    return decodeKv(kv);
  }

  async tryGet(ri: ResourceInfo, ns: string | undefined, name: string): Promise<KubeObject | undefined> {
    const kv = await this.wrap(ri, name, () => this.store.get(storageKey(ri, ns, name)));
    return kv ? decodeKv(kv) : undefined;
  }

  async list(ri: ResourceInfo, ns: string | undefined, opts: { limit?: number; continueAfter?: string } = {}):
    Promise<{ items: KubeObject[]; revision: number; continueAfter?: string }> {
    const res = await this.wrap(ri, '', () => this.store.list(storagePrefix(ri, ns), opts));
    return { items: res.items.map((kv) => decodeKv(kv)), revision: res.revision, continueAfter: res.continueAfter };
  }

  async create(ri: ResourceInfo, obj: KubeObject): Promise<KubeObject> {
    const md = obj.metadata ?? {};
    const kv = await this.wrap(ri, md.name ?? '', () => this.store.create(storageKey(ri, md.namespace, md.name ?? ''), encodeObject(obj)));
    return decodeKv(kv);
  }

  /** Compare-and-swap on metadata.resourceVersion of `obj`. */
  async update(ri: ResourceInfo, obj: KubeObject, expect: number): Promise<KubeObject> {
    const md = obj.metadata ?? {};
    const kv = await this.wrap(ri, md.name ?? '', () => this.store.update(storageKey(ri, md.namespace, md.name ?? ''), encodeObject(obj), expect));
    return decodeKv(kv);
  }

  async delete(ri: ResourceInfo, ns: string | undefined, name: string, expect?: number): Promise<KubeObject> {
    const kv = await this.wrap(ri, name, () => this.store.delete(storageKey(ri, ns, name), expect));
    return decodeKv(kv);
  }

  /** Object events after `from` for one resource (optionally one namespace). */
  async *watch(ri: ResourceInfo, ns: string | undefined, from: number, signal: AbortSignal): AsyncIterable<ObjectEvent> {
    let it: AsyncIterable<WatchEvent>;
    try {
      it = this.store.watch(storagePrefix(ri, ns), from, signal);
      for await (const ev of it) {
        if (ev.type === 'delete') {
          yield { type: 'DELETED', object: decodeKv(ev.prev, ev.kv.modRevision), revision: ev.kv.modRevision };
        } else {
          const created = !ev.prev;
          yield {
            type: created ? 'ADDED' : 'MODIFIED', object: decodeKv(ev.kv), revision: ev.kv.modRevision,
            prev: ev.prev ? decodeKv(ev.prev) : undefined,
          };
        }
      }
    } catch (err) {
      throw this.translate(ri, '', err, from);
    }
  }

  private async wrap<T>(ri: ResourceInfo, name: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.translate(ri, name, err);
    }
  }

  private translate(ri: ResourceInfo, name: string, err: unknown, from?: number): unknown {
    if (!isStoreError(err)) return err;
    const e: ApiError | undefined = {
      KeyExists: () => alreadyExists(ri, name),
      KeyNotFound: () => notFound(ri, name),
      RevisionConflict: () => conflict(ri, name),
      Compacted: () => expired(`too old resource version: ${from ?? 0}`),
      Unavailable: () => serviceUnavailable(`storage is unavailable: ${err.message}`),
    }[err.code]?.();
    return e ?? err;
  }
}
