/** Conformance: prefix listing, as-of-revision reads and paging. */
import { expect, it } from 'vitest';
import { dec, enc } from './store-cases.js';
import type { StoreRef } from './store-cases.js';
import type { ListResult } from '../../control/store/types.js';

const keysOf = (r: ListResult): string[] => r.items.map((kv) => kv.key);

export function listCases(store: StoreRef): void {
  it('lists live keys under a prefix, sorted, at the current revision', async () => {
    const s = store();
    for (const k of ['/registry/pods/ns/c', '/registry/pods/ns/a', '/registry/pods2/x', '/registry/pods/other/b', '/registry/services/ns/a']) {
      await s.create(k, enc(k));
    }
    await s.create('/registry/pods/ns/gone', enc('x'));
    await s.delete('/registry/pods/ns/gone');
    const r = await s.list('/registry/pods/');
    expect(keysOf(r)).toEqual(['/registry/pods/ns/a', '/registry/pods/ns/c', '/registry/pods/other/b']);
    expect(r.items.map((kv) => dec(kv.value))).toEqual(keysOf(r));
    expect(r.revision).toBe(await s.currentRevision());
    expect(r.continueAfter).toBeUndefined();
    expect(keysOf(await s.list('/registry/pods/ns/'))).toEqual(['/registry/pods/ns/a', '/registry/pods/ns/c']);
    expect(keysOf(await s.list('/nothing/'))).toEqual([]);
    expect(keysOf(await s.list(''))).toHaveLength(5);
  });

  it('lists as of an older revision', async () => {
    const s = store();
    const a = await s.create('/p/a', enc('a1'));
    await s.create('/p/b', enc('b1'));
    const rev = await s.currentRevision();
    await s.update('/p/a', enc('a2'), a.modRevision);
    await s.delete('/p/b');
    await s.create('/p/c', enc('c1'));
    const old = await s.list('/p/', { revision: rev });
    expect(old.revision).toBe(rev);
    expect(old.items.map((kv) => `${kv.key}=${dec(kv.value)}@${kv.modRevision}`)).toEqual([`/p/a=a1@${a.modRevision}`, `/p/b=b1@${rev}`]);
    const now = await s.list('/p/');
    expect(now.items.map((kv) => `${kv.key}=${dec(kv.value)}`)).toEqual(['/p/a=a2', '/p/c=c1']);
    expect(keysOf(await s.list('/p/', { revision: a.modRevision }))).toEqual(['/p/a']);
  });

  it('pages with limit and continueAfter at a pinned revision', async () => {
    const s = store();
    const names = Array.from({ length: 25 }, (_, i) => `/p/k${String(i).padStart(2, '0')}`);
    for (const k of [...names].reverse()) await s.create(k, enc(k));
    const first = await s.list('/p/', { limit: 10 });
    expect(keysOf(first)).toEqual(names.slice(0, 10));
    expect(first.continueAfter).toBe(names[9]);
    // Writes between pages must not show up in a list pinned to the first page's revision.
    await s.delete(names[15]!);
    await s.create('/p/k155', enc('new'));
    const second = await s.list('/p/', { limit: 10, continueAfter: first.continueAfter, revision: first.revision });
    expect(keysOf(second)).toEqual(names.slice(10, 20));
    expect(second.revision).toBe(first.revision);
    const third = await s.list('/p/', { limit: 10, continueAfter: second.continueAfter, revision: first.revision });
    expect(keysOf(third)).toEqual(names.slice(20));
    expect(third.continueAfter).toBeUndefined();
  });

  it('does not report a continuation when the page is exactly full', async () => {
    const s = store();
    for (const k of ['/p/a', '/p/b', '/p/c']) await s.create(k, enc(k));
    const r = await s.list('/p/', { limit: 3 });
    expect(keysOf(r)).toHaveLength(3);
    expect(r.continueAfter).toBeUndefined();
    const unlimited = await s.list('/p/', { limit: 0 });
    expect(keysOf(unlimited)).toHaveLength(3);
  });

  it('continues after a key that no longer exists', async () => {
    const s = store();
    for (const k of ['/p/a', '/p/b', '/p/c', '/p/d']) await s.create(k, enc(k));
    const r = await s.list('/p/', { continueAfter: '/p/bb' });
    expect(keysOf(r)).toEqual(['/p/c', '/p/d']);
  });
}
