/**
 * The store conformance suite against a real etcd on 127.0.0.1:2379 (scripts/test starts one with
 * ensure_etcd: TLS only, client certificates required; test/helpers/etcd-tls.ts finds them). Each test opens its store under its own random key prefix, so runs never see each
 * other's keys, and every prefix is deleted afterwards. Revisions and compaction are etcd-wide:
 * the compaction cases compact the whole test etcd (harmless: nothing else keeps history there).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeStoreConformance } from '../conformance/store.js';
import { EtcdStore } from '../../control/store/etcd/etcd-store.js';
import { createStore } from '../../control/store/registry.js';
import { PrivateEtcd } from '../helpers/private-etcd.js';
import { TEST_ETCD, createEtcdPki, etcdClient, etcdHealthy, etcdTls, etcdTlsFiles, hasPki } from '../helpers/etcd-tls.js';
import { TestWatcher } from '../conformance/store-watcher.js';
import { expectConsecutive } from '../conformance/store-cases.js';

const ENDPOINT = TEST_ETCD.endpoint;
const PKI = TEST_ETCD.pki;

async function etcdSkipReason(): Promise<string | undefined> {
  if (!hasPki(PKI)) return `no test etcd certificates in ${PKI.caFile}/..; scripts/test makes them (ensure_etcd in scripts/lib.sh)`;
  if (await etcdHealthy(ENDPOINT, PKI)) return undefined;
  return `no healthy etcd answers on https://${ENDPOINT} with the test client certificate; scripts/test starts one (ensure_etcd in scripts/lib.sh)`;
}

const skipReason = await etcdSkipReason();
if (skipReason !== undefined) console.warn(`etcd-store.int.test.ts skipped: ${skipReason}`);
const TLS = skipReason === undefined ? etcdTls(PKI) : {};

const prefixes: string[] = [];
const freshPrefix = (): string => {
  const p = `/tk-test-${randomBytes(6).toString('hex')}`;
  prefixes.push(p);
  return p;
};

afterAll(async () => {
  if (skipReason !== undefined) return;
  const client = etcdClient(ENDPOINT, PKI);
  try {
    for (const p of prefixes) await client.delete().prefix(`${p}/`);
  } finally {
    client.close();
  }
});

describe.skipIf(skipReason !== undefined)('etcd', () => {
  describeStoreConformance('etcd', async () => new EtcdStore({ endpoints: [ENDPOINT], tls: TLS, prefix: freshPrefix(), compactIntervalMs: 0 }));

  describe('EtcdStore', () => {
    it('keeps keys under its prefix, and another prefix sees none of them', async () => {
      const prefix = freshPrefix();
      const a = new EtcdStore({ endpoints: [ENDPOINT], tls: TLS, prefix, compactIntervalMs: 0 });
      const b = new EtcdStore({ endpoints: [ENDPOINT], tls: TLS, prefix: freshPrefix(), compactIntervalMs: 0 });
      const kv = await a.create('/registry/pods/default/x', new Uint8Array([1]));
      expect(await b.get('/registry/pods/default/x')).toBeUndefined();
      expect((await b.list('/registry/')).items).toEqual([]);
      const raw = etcdClient(ENDPOINT, PKI);
      const got = await raw.get(`${prefix}/registry/pods/default/x`).exec();
      expect(Number(got.kvs[0]?.mod_revision)).toBe(kv.modRevision);
      raw.close();
      await a.close();
      await b.close();
    });

    it('is what createStore opens for etcd:// with a prefix', async () => {
      const prefix = freshPrefix();
      const s = await createStore(`etcd://${ENDPOINT}?prefix=${prefix}`, { etcdTls: etcdTlsFiles(PKI) });
      expect(s).toBeInstanceOf(EtcdStore);
      const kv = await s.create('/a', new Uint8Array([1]));
      expect(kv.modRevision).toBe(await s.currentRevision());
      await s.close();
    });

    it('runs the background compactor keeping the last minRetained revisions', async () => {
      const s = new EtcdStore({ endpoints: [ENDPOINT], tls: TLS, prefix: freshPrefix(), compactIntervalMs: 0, compactMinRetained: 10 });
      for (let i = 0; i < 30; i++) await s.create(`/bg/k${i}`, new Uint8Array([1]));
      const head = await s.currentRevision();
      await s.runCompactor();
      expect(await s.compactRevision()).toBe(head - 10);
      await s.close();
    });

    it('is refused without TLS, without a client certificate and with one from another CA', async () => {
      const other = mkdtempSync(join(tmpdir(), 'tk-etcd-other-'));
      try {
        const stranger = etcdTls(await createEtcdPki(other));
        const attempts: Array<[string, ConstructorParameters<typeof EtcdStore>[0]]> = [
          ['plain TCP', { endpoints: [ENDPOINT] }],
          ['plain http://', { endpoints: [`http://${ENDPOINT}`] }],
          ['TLS, no client certificate', { endpoints: [ENDPOINT], tls: { caCertPem: TLS.caCertPem! } }],
          ['a client certificate of another CA', { endpoints: [ENDPOINT], tls: { caCertPem: TLS.caCertPem!, certPem: stranger.certPem!, keyPem: stranger.keyPem! } }],
        ];
        for (const [what, opts] of attempts) {
          const s = new EtcdStore({ ...opts, prefix: freshPrefix(), requestTimeoutMs: 1500, compactIntervalMs: 0 });
          await expect(s.create('/a', new Uint8Array([1])), what).rejects.toMatchObject({ name: 'StoreError', code: 'Unavailable' });
          await s.close();
        }
        await expect(createStore(`etcd://${ENDPOINT}`, { etcdTls: { certFile: PKI.certFile } })).rejects.toThrow('--etcd-certfile and --etcd-keyfile go together');
      } finally {
        rmSync(other, { recursive: true, force: true });
      }
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
    const s = new EtcdStore({ endpoints: [etcd.endpoint], tls: etcdTls(etcd.pki), compactIntervalMs: 0, requestTimeoutMs: 1000 });
    const r0 = await s.currentRevision();
    const w = new TestWatcher(s, '/r/', r0);
    for (const k of ['a', 'b', 'c']) await s.create(`/r/${k}`, new Uint8Array([1]));
    const before = await w.take(3);
    await etcd.kill();
    await expect(s.get('/r/a')).rejects.toMatchObject({ code: 'Unavailable' });
    await etcd.start();
    const raw = etcdClient(etcd.endpoint, etcd.pki);
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
