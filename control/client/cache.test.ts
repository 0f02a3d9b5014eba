import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/object.js';
import { IndexedCache } from './cache.js';

const obj = (ns: string | undefined, name: string, node?: string, rv = '1'): KubeObject =>
  ({ kind: 'Pod', metadata: { name, ...(ns ? { namespace: ns } : {}), resourceVersion: rv }, spec: node ? { nodeName: node } : {} });
const byNode = (o: KubeObject) => { const n = (o['spec'] as { nodeName?: string } | undefined)?.nodeName; return n ? [n] : []; };
const names = (os: KubeObject[]) => os.map((o) => o.metadata?.name).sort();

describe('IndexedCache', () => {
  it('keeps objects by namespace/name (name alone when cluster-scoped); upsert returns the previous one', () => {
    const c = new IndexedCache();
    expect(c.upsert(obj('a', 'web'))).toBeUndefined();
    expect(c.upsert(obj(undefined, 'node-1'))).toBeUndefined();
    const v2 = obj('a', 'web', undefined, '2');
    expect(c.upsert(v2)?.metadata?.resourceVersion).toBe('1');
    expect(c.get('a/web')).toBe(v2);
    expect(c.get('node-1')?.metadata?.name).toBe('node-1');
    expect(c.get('b/web')).toBeUndefined();
    expect(c.size).toBe(2);
  });

  it('remove returns what was there, and undefined for an unknown object', () => {
    const c = new IndexedCache();
    c.upsert(obj('a', 'web'));
    expect(c.remove(obj('a', 'web', undefined, '9'))?.metadata?.resourceVersion).toBe('1');
    expect(c.remove(obj('a', 'web'))).toBeUndefined();
    expect(c.size).toBe(0);
    expect(c.get('a/web')).toBeUndefined();
  });

  it('list: everything, or one namespace (kept current through updates and deletes)', () => {
    const c = new IndexedCache();
    c.upsert(obj('a', 'x'));
    c.upsert(obj('b', 'y'));
    expect(names(c.list())).toEqual(['x', 'y']);
    expect(names(c.list('a'))).toEqual(['x']);
    c.upsert(obj('a', 'z'));
    c.remove(obj('a', 'x'));
    expect(names(c.list('a'))).toEqual(['z']);
    expect(c.list('none')).toEqual([]);
  });

  it('an index follows adds, updates that change the indexed value, and removes', () => {
    const c = new IndexedCache();
    c.addIndex('node', byNode);
    c.upsert(obj('a', 'p1', 'n1'));
    c.upsert(obj('a', 'p2', 'n1'));
    c.upsert(obj('a', 'p3'));
    expect(names(c.byIndex('node', 'n1'))).toEqual(['p1', 'p2']);
    c.upsert(obj('a', 'p2', 'n2'));
    expect(names(c.byIndex('node', 'n1'))).toEqual(['p1']);
    expect(names(c.byIndex('node', 'n2'))).toEqual(['p2']);
    c.remove(obj('a', 'p1'));
    expect(c.byIndex('node', 'n1')).toEqual([]);
    expect(c.byIndex('unknown-index', 'n1')).toEqual([]);
  });

  it('an index added late covers the objects already there', () => {
    const c = new IndexedCache();
    c.upsert(obj('a', 'p1', 'n1'));
    c.addIndex('node', byNode);
    expect(names(c.byIndex('node', 'n1'))).toEqual(['p1']);
  });

  it('replace (after a relist) keeps the new set and returns what disappeared', () => {
    const c = new IndexedCache();
    c.addIndex('node', byNode);
    c.upsert(obj('a', 'stay', 'n1'));
    c.upsert(obj('a', 'gone', 'n1'));
    const gone = c.replace([obj('a', 'stay', 'n2', '5'), obj('b', 'new', 'n1')]);
    expect(names(gone)).toEqual(['gone']);
    expect(names(c.list())).toEqual(['new', 'stay']);
    expect(c.get('a/stay')?.metadata?.resourceVersion).toBe('5');
    expect(names(c.byIndex('node', 'n1'))).toEqual(['new']);
    expect(names(c.byIndex('node', 'n2'))).toEqual(['stay']);
  });

  it('hands out its own objects, not copies (readers must structuredClone before changing one), in fresh arrays', () => {
    const c = new IndexedCache();
    const o = obj('a', 'web');
    c.upsert(o);
    expect(c.get('a/web')).toBe(o);
    expect(c.list()[0]).toBe(o);
    const l = c.list();
    l.pop();
    expect(c.list()).toHaveLength(1);
  });
});
