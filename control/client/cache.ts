/**
 * The informer's object cache: objects by "namespace/name", with optional indexes. Objects handed
 * out are the cache's own: never mutate them (structuredClone first).
 */
import type { KubeObject } from '../api/object.js';
import { keyOf } from '../api/object.js';

export type IndexFunc<T> = (obj: T) => string[];

export interface ObjectCache<T extends KubeObject> {
  get(key: string): T | undefined;
  /** Every object, or those of one namespace. */
  list(namespace?: string): T[];
  /** Objects whose index `name` yields `value`. */
  byIndex(name: string, value: string): T[];
  readonly size: number;
}

export class IndexedCache<T extends KubeObject> implements ObjectCache<T> {
  private readonly items = new Map<string, T>();
  private readonly indexFns = new Map<string, IndexFunc<T>>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();

  addIndex(name: string, fn: IndexFunc<T>): void {
    this.indexFns.set(name, fn);
    const idx = new Map<string, Set<string>>();
    this.indexes.set(name, idx);
    for (const [k, obj] of this.items) for (const v of fn(obj)) add(idx, v, k);
  }

  get size(): number { return this.items.size; }

  get(key: string): T | undefined { return this.items.get(key); }

  list(namespace?: string): T[] {
    if (namespace === undefined) return [...this.items.values()];
    return this.byIndex('namespace', namespace);
  }

  byIndex(name: string, value: string): T[] {
    if (name === 'namespace' && !this.indexes.has('namespace')) this.addIndex('namespace', (o) => [o.metadata?.namespace ?? '']);
    const keys = this.indexes.get(name)?.get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const k of keys) { const o = this.items.get(k); if (o) out.push(o); }
    return out;
  }

  /** Returns the previous object under the same key. */
  upsert(obj: T): T | undefined {
    const key = keyOf(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexFns) for (const v of fn(obj)) add(this.indexes.get(name)!, v, key);
    return old;
  }

  remove(obj: T): T | undefined {
    const key = keyOf(obj);
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  /** Replace everything (after a relist); returns what disappeared. */
  replace(objs: readonly T[]): T[] {
    const keep = new Set(objs.map((o) => keyOf(o)));
    const gone = [...this.items.entries()].filter(([k]) => !keep.has(k)).map(([, o]) => o);
    for (const g of gone) this.remove(g);
    for (const o of objs) this.upsert(o);
    return gone;
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexFns) {
      const idx = this.indexes.get(name)!;
      for (const v of fn(obj)) { const s = idx.get(v); s?.delete(key); if (s && s.size === 0) idx.delete(v); }
    }
  }
}

function add(idx: Map<string, Set<string>>, v: string, key: string): void {
  let s = idx.get(v);
  if (!s) idx.set(v, (s = new Set()));
  s.add(key);
}
