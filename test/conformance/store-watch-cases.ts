/** Conformance: watch from a revision delivers every later event exactly once, in order. */
import { expect, it } from 'vitest';
import { dec, enc, expectConsecutive, summary } from './store-cases.js';
import type { StoreRef } from './store-cases.js';
import { TestWatcher } from './store-watcher.js';

export function watchCases(store: StoreRef): void {
  it('replays history after a revision with put and delete events carrying prev', async () => {
    const s = store();
    const r0 = await s.currentRevision();
    const a = await s.create('/w/a', enc('1'));
    const b = await s.update('/w/a', enc('2'), a.modRevision);
    const d = await s.delete('/w/a');
    const w = new TestWatcher(s, '/w/', r0);
    const events = await w.take(3);
    expect(events.map(summary)).toEqual([
      `put /w/a=1@${a.modRevision}/${a.modRevision}`,
      `put /w/a=2@${b.modRevision}/${a.modRevision} prev=1@${a.modRevision}`,
      `delete /w/a=2@${d.modRevision}/${a.modRevision} prev=2@${b.modRevision}`,
    ]);
    await w.expectIdle();
    const later = new TestWatcher(s, '/w/', a.modRevision);
    expect((await later.take(2)).map((e) => e.kv.modRevision)).toEqual([b.modRevision, d.modRevision]);
    w.stop();
    later.stop();
  });

  it('follows live writes, with delete events carrying the previous value', async () => {
    const s = store();
    const w = new TestWatcher(s, '/w/', await s.currentRevision());
    const a = await s.create('/w/a', enc('1'));
    await s.update('/w/a', enc('2'), a.modRevision);
    await s.delete('/w/a');
    const events = await w.take(3);
    expect(events.map((e) => e.type)).toEqual(['put', 'put', 'delete']);
    const del = events[2]!;
    expect(del.type === 'delete' && dec(del.prev.value)).toBe('2');
    expect(dec(del.kv.value)).toBe('2');
    expectConsecutive(events, a.modRevision);
    w.stop();
  });

  it('delivers a burst of 500 writes started right after the watch, exactly once and in order', async () => {
    const s = store();
    const r0 = await s.currentRevision();
    const w = new TestWatcher(s, '/b/', r0);
    const first = w.take(1);
    await Promise.all(Array.from({ length: 500 }, (_, i) => s.create(`/b/k${i}`, enc(String(i)))));
    const events = [...(await first), ...(await w.take(499))];
    expectConsecutive(events, r0 + 1);
    expect(new Set(events.map((e) => e.kv.key)).size).toBe(500);
    await w.expectIdle();
    w.stop();
  });

  it('catches up from the middle of history while new writes land', async () => {
    const s = store();
    const r0 = await s.currentRevision();
    for (let i = 0; i < 200; i++) await s.create(`/m/k${i}`, enc(String(i)));
    const from = r0 + 100;
    const w = new TestWatcher(s, '/m/', from);
    const head = await w.take(5); // the backlog is being read
    const writer = (async () => {
      for (let i = 200; i < 400; i++) {
        await s.create(`/m/k${i}`, enc(String(i)));
        if (i % 10 === 0) await new Promise((r) => setImmediate(r));
      }
    })();
    const rest = await w.take(295);
    await writer;
    const events = [...head, ...rest];
    expectConsecutive(events, from + 1);
    expect(events.at(-1)!.kv.key).toBe('/m/k399');
    await w.expectIdle();
    w.stop();
  });

  it('filters by prefix in both the backlog and live events', async () => {
    const s = store();
    const r0 = await s.currentRevision();
    await s.create('/x/pods/a', enc('1'));
    await s.create('/x/podsx/a', enc('no'));
    await s.create('/x/svc/a', enc('no'));
    const w = new TestWatcher(s, '/x/pods/', r0);
    await s.create('/x/svc/b', enc('no'));
    await s.create('/x/pods/b', enc('2'));
    const events = await w.take(2);
    expect(events.map((e) => e.kv.key)).toEqual(['/x/pods/a', '/x/pods/b']);
    await w.expectIdle();
    w.stop();
  });

  it('ends the iterator when the signal aborts, also while waiting', async () => {
    const s = store();
    const ac = new AbortController();
    const it = s.watch('/a/', await s.currentRevision(), ac.signal)[Symbol.asyncIterator]();
    const pending = it.next();
    await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    expect((await pending).done).toBe(true);
    await s.create('/a/x', enc('1'));
    expect((await it.next()).done).toBe(true);

    const aborted = AbortSignal.abort();
    const it2 = s.watch('/a/', 0, aborted)[Symbol.asyncIterator]();
    expect((await it2.next()).done).toBe(true);
  });

  it('ends the iterator when a for-await loop breaks', async () => {
    const s = store();
    const r0 = await s.currentRevision();
    await s.create('/f/a', enc('1'));
    await s.create('/f/b', enc('2'));
    const seen: string[] = [];
    for await (const ev of s.watch('/f/', r0, new AbortController().signal)) {
      seen.push(ev.kv.key);
      if (seen.length === 1) break;
    }
    expect(seen).toEqual(['/f/a']);
  });

  it('feeds many concurrent watchers independently', async () => {
    const s = store();
    const r0 = await s.currentRevision();
    await s.create('/c/0/seed', enc('s'));
    const watchers = Array.from({ length: 40 }, (_, i) => ({ group: i % 4, w: new TestWatcher(s, `/c/${i % 4}/`, r0) }));
    const writes = Array.from({ length: 100 }, (_, i) => s.create(`/c/${i % 4}/k${i}`, enc(String(i))));
    await Promise.all(writes);
    await Promise.all(watchers.map(async ({ group, w }) => {
      const expected = 25 + (group === 0 ? 1 : 0);
      const events = await w.take(expected);
      const revs = events.map((e) => e.kv.modRevision);
      expect(revs).toEqual([...revs].sort((x, y) => x - y));
      expect(new Set(revs).size).toBe(expected);
      expect(events.every((e) => e.kv.key.startsWith(`/c/${group}/`))).toBe(true);
      await w.expectIdle(10);
      w.stop();
    }));
  });

  it('ends watchers when the store closes', async () => {
    const s = store();
    const w = new TestWatcher(s, '/z/', await s.currentRevision());
    const r = w.nextWithin(2000);
    await new Promise((res) => setTimeout(res, 5));
    await s.close();
    const got = await r;
    expect(got !== 'timeout' && got.done).toBe(true);
  });
}
