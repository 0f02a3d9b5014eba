import { describe, expect, it } from 'vitest';
import type { IEvent, IKeyValue } from 'etcd3';
import { KeySpace, prefixEnd, toKeyValue, toWatchEvent } from './codec.js';

const kv = (key: string, value: string, create: number, mod: number): IKeyValue => ({
  key: Buffer.from(key), value: Buffer.from(value), create_revision: String(create), mod_revision: String(mod), version: '1', lease: '0',
});

describe('prefixEnd', () => {
  it.each([
    ['/registry/pods/', '/registry/pods0'],
    ['a', 'b'],
    ['a\xff', 'b'],
  ])('%j -> %j', (prefix, end) => {
    expect(prefixEnd(Buffer.from(prefix, 'latin1')).toString('latin1')).toBe(end);
  });

  it('runs to the end of the keyspace when every byte is 0xff or there are none', () => {
    expect([...prefixEnd(Buffer.from([0xff, 0xff]))]).toEqual([0]);
    expect([...prefixEnd(Buffer.alloc(0))]).toEqual([0]);
  });
});

describe('KeySpace', () => {
  it('stores keys under the root and strips it on the way back', () => {
    const ks = new KeySpace('/tk-test-ab');
    expect(ks.toEtcd('/registry/pods/ns/a').toString()).toBe('/tk-test-ab/registry/pods/ns/a');
    expect(ks.fromEtcd(Buffer.from('/tk-test-ab/registry/pods/ns/a'))).toBe('/registry/pods/ns/a');
    expect(() => ks.fromEtcd(Buffer.from('/other/x'))).toThrow('outside prefix');
  });

  it('ranges over a prefix inside the root, and over the whole root for ""', () => {
    const ks = new KeySpace('/root');
    const r = ks.range('/registry/pods/');
    expect([r.key.toString(), r.range_end.toString()]).toEqual(['/root/registry/pods/', '/root/registry/pods0']);
    const all = ks.range('');
    expect([all.key.toString(), all.range_end.toString()]).toEqual(['/root', '/roou']);
  });

  it('ranges over the whole keyspace with no root and no prefix', () => {
    const r = new KeySpace().range('');
    expect([[...r.key], [...r.range_end]]).toEqual([[0], [0]]);
  });

  it('rejects a root ending in "/"', () => {
    expect(() => new KeySpace('/root/')).toThrow('must not end with "/"');
  });
});

describe('toKeyValue / toWatchEvent', () => {
  const ks = new KeySpace('/p');

  it('maps etcd revisions and values as they are', () => {
    expect(toKeyValue(kv('/p/k', 'v', 3, 7), ks)).toEqual({ key: '/k', value: Buffer.from('v'), createRevision: 3, modRevision: 7 });
  });

  it('maps a put with and without prev_kv', () => {
    const created: IEvent = { type: 'Put', kv: kv('/p/k', 'v1', 5, 5), prev_kv: undefined as unknown as IKeyValue };
    expect(toWatchEvent(created, ks)).toEqual({ type: 'put', kv: toKeyValue(created.kv, ks) });
    const updated: IEvent = { type: 'Put', kv: kv('/p/k', 'v2', 5, 6), prev_kv: kv('/p/k', 'v1', 5, 5) };
    expect(toWatchEvent(updated, ks)).toMatchObject({ type: 'put', kv: { modRevision: 6 }, prev: { modRevision: 5 } });
  });

  it('gives a delete the last value and create revision at the deletion revision', () => {
    const tombstone: IKeyValue = { ...kv('/p/k', '', 0, 9), version: '0' };
    const ev = toWatchEvent({ type: 'Delete', kv: tombstone, prev_kv: kv('/p/k', 'last', 5, 8) }, ks);
    expect(ev).toEqual({
      type: 'delete',
      kv: { key: '/k', value: Buffer.from('last'), createRevision: 5, modRevision: 9 },
      prev: { key: '/k', value: Buffer.from('last'), createRevision: 5, modRevision: 8 },
    });
  });
});
