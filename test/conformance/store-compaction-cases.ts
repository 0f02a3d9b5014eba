/** Conformance: after compaction, older revisions are 'Compacted' and newer ones still answer correctly. */
import { expect, it } from 'vitest';
import { dec, enc, expectStoreError, summary } from './store-cases.js';
import type { ConformanceStore, StoreRef } from './store-cases.js';
import { TestWatcher } from './store-watcher.js';

/** History over three keys: updates, deletes and a re-create, straddling revision `mid`. */
async function writeHistory(s: ConformanceStore): Promise<{ r0: number; mid: number }> {
  const r0 = await s.currentRevision();
  const a = await s.create('/h/a', enc('a1'));
  const a2 = await s.update('/h/a', enc('a2'), a.modRevision);
  await s.create('/h/b', enc('b1'));
  await s.delete('/h/b');
  await s.create('/h/c', enc('c1'));
  const mid = await s.currentRevision();
  await s.update('/h/a', enc('a3'), a2.modRevision);
  await s.delete('/h/c');
  await s.create('/h/b', enc('b2'));
  return { r0, mid };
}

export function compactionCases(store: StoreRef): void {
  it('reports compacted revisions as Compacted for watch, list and get', async (ctx) => {
    const s = store();
    if (!s.compact) return ctx.skip();
    const { r0, mid } = await writeHistory(s);
    await s.compact(mid);
    expect(await s.compactRevision()).toBe(mid);
    const w = new TestWatcher(s, '/h/', mid - 1);
    await expect(w.take(1)).rejects.toMatchObject({ name: 'StoreError', code: 'Compacted' });
    await expectStoreError(s.list('/h/', { revision: mid - 1 }), 'Compacted');
    await expectStoreError(s.get('/h/a', { revision: r0 + 1 }), 'Compacted');
    w.stop();
  });

  it('still answers at and after the compact revision', async (ctx) => {
    const s = store();
    if (!s.compact) return ctx.skip();
    const { mid } = await writeHistory(s);
    const before = await s.list('/h/', { revision: mid });
    await s.compact(mid);
    const at = await s.list('/h/', { revision: mid });
    const show = (r: typeof at): string[] => r.items.map((kv) => `${kv.key}=${dec(kv.value)}@${kv.modRevision}/${kv.createRevision}`);
    expect(show(at)).toEqual(show(before));
    expect(show(at).map((x) => x.split('@')[0])).toEqual(['/h/a=a2', '/h/c=c1']);
    expect((await s.list('/h/')).items.map((kv) => `${kv.key}=${dec(kv.value)}`)).toEqual(['/h/a=a3', '/h/b=b2']);
    expect(dec((await s.get('/h/a', { revision: mid }))!.value)).toBe('a2');
    const w = new TestWatcher(s, '/h/', mid);
    const events = await w.take(3);
    expect(events.map(summary)).toEqual([
      `put /h/a=a3@${mid + 1}/${mid - 4} prev=a2@${mid - 3}`,
      `delete /h/c=c1@${mid + 2}/${mid} prev=c1@${mid}`,
      `put /h/b=b2@${mid + 3}/${mid + 3}`,
    ]);
    await w.expectIdle();
    w.stop();
  });

  it('keeps the revision counter and key lifecycle intact when compacting up to the head', async (ctx) => {
    const s = store();
    if (!s.compact) return ctx.skip();
    await writeHistory(s);
    await s.delete('/h/b');
    const head = await s.currentRevision();
    await s.compact(head + 10); // clamped to the head
    expect(await s.compactRevision()).toBe(head);
    expect(await s.currentRevision()).toBe(head);
    const b = await s.create('/h/b', enc('b3'));
    expect(b.modRevision).toBe(head + 1);
    const a = (await s.get('/h/a'))!;
    expect((await s.update('/h/a', enc('a4'), a.modRevision)).modRevision).toBe(head + 2);
    expect((await s.list('/h/')).items.map((kv) => dec(kv.value))).toEqual(['a4', 'b3']);
    await s.compact(head - 1); // going backwards is a no-op
    expect(await s.compactRevision()).toBe(head);
  });

  it('a watch whose backlog is compacted away while it catches up fails, never skips', async (ctx) => {
    const s = store();
    if (!s.compact) return ctx.skip();
    const r0 = await s.currentRevision();
    const keys = Array.from({ length: 1200 }, (_, i) => `/big/k${i % 50}-${i}`);
    for (const k of keys) await s.create(k, enc('v'));
    const w = new TestWatcher(s, '/big/', r0);
    const [first] = await w.take(1);
    await s.compact(r0 + 1100);
    const rest = await w.take(1199).catch((err: unknown) => err);
    if (Array.isArray(rest)) {
      // the backlog was already on its way to the watcher (etcd streams it ahead): then every
      // event arrives, in order, none skipped
      expect([first!, ...rest].map((e) => e.kv.key)).toEqual(keys);
    } else {
      expect(rest).toMatchObject({ code: 'Compacted' });
    }
    w.stop();
  });
}
