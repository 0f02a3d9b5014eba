/**
 * The store conformance suite against a real etcd on 127.0.0.1:2379 (scripts/test starts one with
 * ensure_etcd). Each test opens its store under its own random key prefix, so runs never see each
 * other's keys, and every prefix is deleted afterwards. Revisions and compaction are etcd-wide:
 * the compaction cases compact the whole test etcd (harmless: nothing else keeps history there).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Etcd3 } from 'etcd3';
import { afterAll, describe, expect, it } from 'vitest';
import { describeStoreConformance } from '../conformance/store.js';
import { EtcdStore } from '../../control/store/etcd/etcd-store.js';
import { createStore } from '../../control/store/registry.js';
import { PrivateEtcd } from '../helpers/private-etcd.js';
import { TestWatcher } from '../conformance/store-watcher.js';
import { expectConsecutive } from '../conformance/store-cases.js';

const ENDPOINT = '127.0.0.1:2379';

async function etcdSkipReason(): Promise<string | undefined> {
  try {
    const res = await fetch(`http://${ENDPOINT}/health`, { signal: AbortSignal.timeout(2000) });
    const body = (await res.json()) as { health?: string };
    return body.health === 'true' ? undefined : `etcd on ${ENDPOINT} is unhealthy (${JSON.stringify(body)})`;
  } catch (err) {
    return `no etcd answers on ${ENDPOINT} (${String(err)}); scripts/test starts one (ensure_etcd in scripts/lib.sh)`;
  }
}

const skipReason = await etcdSkipReason();
if (skipReason !== undefined) console.warn(`etcd-store.int.test.ts skipped: ${skipReason}`);

const prefixes: string[] = [];
const freshPrefix = (): string => {
  const p = `/tk-test-${randomBytes(6).toString('hex')}`;
  prefixes.push(p);
  return p;
};

afterAll(async () => {
  if (skipReason !== undefined) return;
  const client = new Etcd3({ hosts: ENDPOINT });
  try {
    for (const p of prefixes) await client.delete().prefix(`${p}/`);
  } finally {
    client.close();
  }
});

describe.skipIf(skipReason !== undefined)('etcd', () => {
  describeStoreConformance('etcd', async () => new EtcdStore({ endpoints: [ENDPOINT], prefix: freshPrefix(), compactIntervalMs: 0 }));

  describe('EtcdStore', () => {
    it('keeps keys under its prefix, and another prefix sees none of them', async () => {
      const prefix = freshPrefix();
      const a = new EtcdStore({ endpoints: [ENDPOINT], prefix, compactIntervalMs: 0 });
      const b = new EtcdStore({ endpoints: [ENDPOINT], prefix: freshPrefix(), compactIntervalMs: 0 });
      const kv = await a.create('/registry/pods/default/x', new Uint8Array([1]));
      expect(await b.get('/registry/pods/default/x')).toBeUndefined();
      expect((await b.list('/registry/')).items).toEqual([]);
      const raw = new Etcd3({ hosts: ENDPOINT });
      const got = await raw.get(`${prefix}/registry/pods/default/x`).exec();
      expect(Number(got.kvs[0]?.mod_revision)).toBe(kv.modRevision);
      raw.close();
      await a.close();
      await b.close();
    });

    it('is what createStore opens for etcd:// with a prefix', async () => {
      const prefix = freshPrefix();
      const s = await createStore(`etcd://${ENDPOINT}?prefix=${prefix}`);
      expect(s).toBeInstanceOf(EtcdStore);
      const kv = await s.create('/a', new Uint8Array([1]));
      expect(kv.modRevision).toBe(await s.currentRevision());
      await s.close();
    });

    it('runs the background compactor keeping the last minRetained revisions', async () => {
      const s = new EtcdStore({ endpoints: [ENDPOINT], prefix: freshPrefix(), compactIntervalMs: 0, compactMinRetained: 10 });
      for (let i = 0; i < 30; i++) await s.create(`/bg/k${i}`, new Uint8Array([1]));
      const head = await s.currentRevision();
      await s.runCompactor();
      expect(await s.compactRevision()).toBe(head - 10);
      await s.close();
    });

    it('reports Unavailable when no etcd answers', async () => {
      const s = new EtcdStore({ endpoints: ['127.0.0.1:1'], requestTimeoutMs: 500, compactIntervalMs: 0 });
      await expect(s.get('/a')).rejects.toMatchObject({ name: 'StoreError', code: 'Unavailable' });
      await s.close();
      await expect(s.get('/a')).rejects.toMatchObject({ code: 'Unavailable' });
    });
  });
});

describe.skipIf(skipReason !== undefined || !existsSync('/usr/bin/etcd'))('EtcdStore across an etcd restart', () => {
  const etcd = new PrivateEtcd();
  afterAll(() => etcd.destroy());

  it('resumes a watch from its last revision, missing and repeating nothing', async () => {
    await etcd.start();
    const s = new EtcdStore({ endpoints: [etcd.endpoint], compactIntervalMs: 0, requestTimeoutMs: 1000 });
    const r0 = await s.currentRevision();
    const w = new TestWatcher(s, '/r/', r0);
    for (const k of ['a', 'b', 'c']) await s.create(`/r/${k}`, new Uint8Array([1]));
    const before = await w.take(3);
    await etcd.kill();
    await expect(s.get('/r/a')).rejects.toMatchObject({ code: 'Unavailable' });
    await etcd.start();
    const raw = new Etcd3({ hosts: etcd.endpoint });
    await raw.put('/r/d').value('1');
    await raw.put('/r/e').value('1');
    raw.close();
    const after = await w.take(2, 20_000);
    expectConsecutive([...before, ...after], r0 + 1);
    await w.expectIdle(100);
    w.stop();
    await s.close();
  }, 60_000);
});
