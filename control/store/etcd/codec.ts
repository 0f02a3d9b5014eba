/**
 * Pure mapping between the Store contract and etcd's wire types: keys under an optional root prefix
 * (kine's and the apiserver's --etcd-prefix), prefix ranges, and etcd KeyValue/Event -> KeyValue/WatchEvent.
 * Revisions are etcd's own: modRevision = mod_revision, createRevision = create_revision.
 */
import type { IEvent, IKeyValue } from 'etcd3';
import type { KeyValue, Revision, WatchEvent } from '../types.js';

/** etcd's convention: a range_end of "\0" means "every key at or above key". */
const TO_THE_END = Buffer.from([0]);

/** The smallest key greater than every key starting with `prefix` (etcd's GetPrefixRangeEnd). */
export function prefixEnd(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i]! < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i] = prefix[i]! + 1;
      return end;
    }
  }
  return TO_THE_END;
}

/** Store keys <-> etcd keys under one root prefix ('' = none). */
export class KeySpace {
  private readonly root: Buffer;

  constructor(readonly prefix = '') {
    if (prefix.endsWith('/')) throw new Error(`etcd key prefix "${prefix}": must not end with "/"`);
    this.root = Buffer.from(prefix);
  }

  toEtcd(key: string): Buffer {
    return Buffer.concat([this.root, Buffer.from(key)]);
  }

  /** The store key of an etcd key; throws on a key outside the root (a bug: ranges never leave it). */
  fromEtcd(key: Buffer): string {
    if (this.root.length > 0 && !key.subarray(0, this.root.length).equals(this.root)) {
      throw new Error(`etcd key ${key.toString()} is outside prefix ${this.prefix}`);
    }
    return key.subarray(this.root.length).toString('utf8');
  }

  /** [key, range_end) of every key starting with `prefix`; with no root and no prefix, the whole keyspace. */
  range(prefix: string): { key: Buffer; range_end: Buffer } {
    const key = this.toEtcd(prefix);
    return key.length === 0 ? { key: TO_THE_END, range_end: TO_THE_END } : { key, range_end: prefixEnd(key) };
  }
}

/** etcd sends int64s as decimal strings; every revision we use stays below 2^53. */
export const toRevision = (s: string | number | undefined): Revision => Number(s ?? 0);

export function toKeyValue(kv: IKeyValue, keys: KeySpace): KeyValue {
  return {
    key: keys.fromEtcd(kv.key),
    value: kv.value ?? Buffer.alloc(0),
    createRevision: toRevision(kv.create_revision),
    modRevision: toRevision(kv.mod_revision),
  };
}

/**
 * One etcd watch event as a store event. A delete's kv carries the last value and create revision
 * (from prev_kv) at the deletion revision; etcd's own delete kv has neither.
 */
export function toWatchEvent(ev: IEvent, keys: KeySpace): WatchEvent {
  const prev = ev.prev_kv ? toKeyValue(ev.prev_kv, keys) : undefined;
  const kv = toKeyValue(ev.kv, keys);
  if (ev.type !== 'Delete') return prev ? { type: 'put', kv, prev } : { type: 'put', kv };
  // prev_kv is always kept for events above the compact revision (compaction keeps each key's latest
  // version at or below it); an empty prev only stands in should etcd ever omit it.
  const last = prev ?? { ...kv, createRevision: 0 };
  return { type: 'delete', kv: { ...kv, value: last.value, createRevision: last.createRevision }, prev: last };
}
