import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { describeStoreConformance } from '../../../test/conformance/store.js';
import { SqliteStore } from './sqlite-store.js';
import { writeUntilKilled } from './testdata/kill-writer.js';

const root = mkdtempSync(join(tmpdir(), 'tinykube-sqlite-'));
let n = 0;
const freshPath = (): string => join(root, `state-${++n}.db`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (v: Uint8Array): string => new TextDecoder().decode(v);

describeStoreConformance('sqlite', async () => new SqliteStore({ path: freshPath(), compactIntervalMs: 0 }));

describe('SqliteStore', () => {
  it('keeps the database, its WAL and shared memory readable by the owner only, a file from before too', async () => {
    const path = freshPath();
    writeFileSync(path, '');
    chmodSync(path, 0o644);
    const s = new SqliteStore({ path, compactIntervalMs: 0 });
    await s.create('/r/secret', enc('x'));
    for (const f of [path, `${path}-wal`, `${path}-shm`]) expect((statSync(f).mode & 0o777).toString(8), f).toBe('600');
    await s.close();
  });

  it('keeps data, revision and compact revision across reopen', async () => {
    const path = freshPath();
    const s1 = new SqliteStore({ path, compactIntervalMs: 0 });
    const a = await s1.create('/r/a', enc('1'));
    await s1.update('/r/a', enc('2'), a.modRevision);
    await s1.create('/r/b', enc('b'));
    await s1.compact(2);
    await s1.delete('/r/b');
    await s1.close();
    const s2 = new SqliteStore({ path, compactIntervalMs: 0 });
    expect(await s2.currentRevision()).toBe(4);
    expect(await s2.compactRevision()).toBe(2);
    expect(dec((await s2.get('/r/a'))!.value)).toBe('2');
    expect((await s2.list('/r/')).items.map((kv) => kv.key)).toEqual(['/r/a']);
    expect((await s2.create('/r/c', enc('c'))).modRevision).toBe(5);
    await s2.close();
  });

  it('makes an acknowledged write visible to another connection without closing', async () => {
    const path = freshPath();
    const s = new SqliteStore({ path, compactIntervalMs: 0 });
    await s.create('/d/a', enc('durable'));
    const other = new Database(path, { readonly: true });
    const row = other.prepare('SELECT name, value FROM kv_log WHERE name = ?').get('/d/a') as { name: string; value: Buffer } | undefined;
    expect(row && dec(row.value)).toBe('durable');
    expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    other.close();
    await s.close();
  });

  it('keeps every acknowledged write when the writing process is killed with SIGKILL', async () => {
    const path = freshPath();
    const acked = await writeUntilKilled(path, 300);
    expect(acked.length).toBeGreaterThanOrEqual(300);
    const s = new SqliteStore({ path, compactIntervalMs: 0 });
    const last = acked[acked.length - 1]!;
    expect(await s.currentRevision()).toBeGreaterThanOrEqual(last.rev);
    for (const { key, rev } of acked) expect((await s.get(key))?.modRevision).toBe(rev);
    await s.close();
  }, 20_000);

  it('deletes superseded rows and tombstones when compacting', async () => {
    const path = freshPath();
    const s = new SqliteStore({ path, compactIntervalMs: 0, compactBatch: 7 });
    let kv = await s.create('/c/a', enc('0'));
    for (let i = 1; i < 50; i++) kv = await s.update('/c/a', enc(String(i)), kv.modRevision);
    await s.create('/c/gone', enc('x'));
    await s.delete('/c/gone');
    const db = new Database(path, { readonly: true });
    const count = (): number => (db.prepare('SELECT COUNT(*) AS n FROM kv_log').get() as { n: number }).n;
    expect(count()).toBe(52);
    await s.compact(await s.currentRevision());
    expect(count()).toBe(1);
    expect(dec((await s.get('/c/a'))!.value)).toBe('49');
    db.close();
    await s.close();
  });

  it('runs the background compactor keeping the last minRetained revisions', async () => {
    const s = new SqliteStore({ path: freshPath(), compactIntervalMs: 0, compactMinRetained: 10 });
    for (let i = 0; i < 30; i++) await s.create(`/bg/k${i}`, enc('v'));
    await s.runCompactor();
    expect(await s.compactRevision()).toBe(20);
    await s.runCompactor();
    expect(await s.compactRevision()).toBe(20);
    await s.close();
  });

  it('translates a locked database into Unavailable', async () => {
    const path = freshPath();
    const s = new SqliteStore({ path, compactIntervalMs: 0, busyTimeoutMs: 10 });
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    await expect(s.create('/l/a', enc('x'))).rejects.toMatchObject({ name: 'StoreError', code: 'Unavailable' });
    other.exec('ROLLBACK');
    other.close();
    expect((await s.create('/l/a', enc('x'))).modRevision).toBe(1);
    await s.close();
  });

  it('rejects operations after close', async () => {
    const s = new SqliteStore({ path: freshPath(), compactIntervalMs: 0 });
    await s.close();
    await expect(s.get('/a')).rejects.toMatchObject({ code: 'Unavailable' });
    await s.close();
  });
});
