/** Conformance: single-key operations and the revision counter. */
import { expect, it } from 'vitest';
import { dec, enc, expectStoreError } from './store-cases.js';
import type { StoreRef } from './store-cases.js';

export function crudCases(store: StoreRef): void {
  it('starts empty and creates, then gets the same value', async () => {
    const s = store();
    const r0 = await s.currentRevision();
    expect(await s.get('/registry/pods/default/a')).toBeUndefined();
    const kv = await s.create('/registry/pods/default/a', enc('one'));
    expect(kv).toMatchObject({ key: '/registry/pods/default/a', createRevision: r0 + 1, modRevision: r0 + 1 });
    expect(dec(kv.value)).toBe('one');
    const got = await s.get('/registry/pods/default/a');
    expect(got && { ...got, value: dec(got.value) }).toEqual({ ...kv, value: 'one' });
    expect(await s.currentRevision()).toBe(r0 + 1);
  });

  it('round-trips binary values, including empty ones', async () => {
    const s = store();
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    await s.create('/k/bin', bytes);
    await s.create('/k/empty', new Uint8Array(0));
    expect([...(await s.get('/k/bin'))!.value]).toEqual([...bytes]);
    expect((await s.get('/k/empty'))!.value.length).toBe(0);
  });

  it('does not share the caller\'s buffer', async () => {
    const s = store();
    const buf = enc('abc');
    await s.create('/k/a', buf);
    buf[0] = 120;
    expect(dec((await s.get('/k/a'))!.value)).toBe('abc');
  });

  it('rejects creating a live key with KeyExists, and re-creates it after delete', async () => {
    const s = store();
    const first = await s.create('/k/a', enc('1'));
    await expectStoreError(s.create('/k/a', enc('2')), 'KeyExists');
    await s.delete('/k/a');
    const again = await s.create('/k/a', enc('3'));
    expect(again.createRevision).toBe(again.modRevision);
    expect(again.createRevision).toBeGreaterThan(first.createRevision);
    expect(dec((await s.get('/k/a'))!.value)).toBe('3');
  });

  it('updates with compare-and-swap, keeping the create revision', async () => {
    const s = store();
    const a = await s.create('/k/a', enc('1'));
    const b = await s.update('/k/a', enc('2'), a.modRevision);
    expect(b).toMatchObject({ key: '/k/a', createRevision: a.createRevision, modRevision: a.modRevision + 1 });
    expect(dec((await s.get('/k/a'))!.value)).toBe('2');
  });

  it('rejects a stale update with RevisionConflict carrying the current value', async () => {
    const s = store();
    const a = await s.create('/k/a', enc('1'));
    const b = await s.update('/k/a', enc('2'), a.modRevision);
    const err = await expectStoreError(s.update('/k/a', enc('3'), a.modRevision), 'RevisionConflict');
    expect(err.current?.modRevision).toBe(b.modRevision);
    expect(err.current && dec(err.current.value)).toBe('2');
    expect(dec((await s.get('/k/a'))!.value)).toBe('2');
  });

  it('rejects updating a missing or deleted key with KeyNotFound', async () => {
    const s = store();
    await expectStoreError(s.update('/k/missing', enc('x'), 1), 'KeyNotFound');
    const a = await s.create('/k/a', enc('1'));
    await s.delete('/k/a');
    await expectStoreError(s.update('/k/a', enc('2'), a.modRevision), 'KeyNotFound');
  });

  it('deletes without expect, returning the last value at the deletion revision', async () => {
    const s = store();
    const a = await s.create('/k/a', enc('1'));
    const b = await s.update('/k/a', enc('2'), a.modRevision);
    const d = await s.delete('/k/a');
    expect(d).toMatchObject({ key: '/k/a', createRevision: a.createRevision, modRevision: b.modRevision + 1 });
    expect(dec(d.value)).toBe('2');
    expect(await s.get('/k/a')).toBeUndefined();
    await expectStoreError(s.delete('/k/a'), 'KeyNotFound');
  });

  it('deletes with expect only when the revision matches', async () => {
    const s = store();
    const a = await s.create('/k/a', enc('1'));
    const b = await s.update('/k/a', enc('2'), a.modRevision);
    const err = await expectStoreError(s.delete('/k/a', a.modRevision), 'RevisionConflict');
    expect(err.current?.modRevision).toBe(b.modRevision);
    expect(await s.get('/k/a')).toBeDefined();
    const d = await s.delete('/k/a', b.modRevision);
    expect(d.modRevision).toBe(b.modRevision + 1);
    await expectStoreError(s.delete('/k/missing', 3), 'KeyNotFound');
  });

  it('advances the revision by exactly one per successful write and not on failures', async () => {
    const s = store();
    const r0 = await s.currentRevision();
    const revs: number[] = [];
    const a = await s.create('/k/a', enc('1'));
    revs.push(a.modRevision);
    await expectStoreError(s.create('/k/a', enc('x')), 'KeyExists');
    revs.push((await s.create('/k/b', enc('1'))).modRevision);
    await expectStoreError(s.update('/k/a', enc('x'), a.modRevision + 100), 'RevisionConflict');
    revs.push((await s.update('/k/a', enc('2'), a.modRevision)).modRevision);
    await expectStoreError(s.delete('/k/zzz'), 'KeyNotFound');
    revs.push((await s.delete('/k/b')).modRevision);
    revs.push((await s.create('/k/b', enc('again'))).modRevision);
    expect(revs).toEqual([r0 + 1, r0 + 2, r0 + 3, r0 + 4, r0 + 5]);
    expect(await s.currentRevision()).toBe(r0 + 5);
  });

  it('gets a key as of an older revision', async () => {
    const s = store();
    const a = await s.create('/k/a', enc('1'));
    const b = await s.update('/k/a', enc('2'), a.modRevision);
    const d = await s.delete('/k/a');
    expect(dec((await s.get('/k/a', { revision: a.modRevision }))!.value)).toBe('1');
    expect(dec((await s.get('/k/a', { revision: b.modRevision }))!.value)).toBe('2');
    expect(await s.get('/k/a', { revision: d.modRevision })).toBeUndefined();
    expect(await s.get('/k/a', { revision: a.modRevision - 1 })).toBeUndefined();
  });

  it('serializes concurrent compare-and-swap updates: exactly one wins', async () => {
    const s = store();
    const a = await s.create('/k/a', enc('0'));
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => s.update('/k/a', enc(String(i)), a.modRevision)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(9);
  });
}
