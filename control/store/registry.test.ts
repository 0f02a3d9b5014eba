import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore, parseStoreUrl } from './registry.js';
import { MemoryStore } from './memory/memory-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

const root = mkdtempSync(join(tmpdir(), 'tinykube-registry-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('parseStoreUrl', () => {
  it.each([
    ['sqlite:///var/lib/tinykube/state.db', { kind: 'sqlite', path: '/var/lib/tinykube/state.db' }],
    ['sqlite://data/state.db', { kind: 'sqlite', path: resolve('data/state.db') }],
    ['sqlite:///var/lib/x.db?_journal=WAL', { kind: 'sqlite', path: '/var/lib/x.db' }],
    ['sqlite://:memory:', { kind: 'sqlite', path: ':memory:' }],
    ['/abs/state.db', { kind: 'sqlite', path: '/abs/state.db' }],
    ['state.db', { kind: 'sqlite', path: resolve('state.db') }],
    ['memory://', { kind: 'memory' }],
    ['etcd://10.0.0.1:2379,10.0.0.2:2379', { kind: 'etcd', endpoints: ['10.0.0.1:2379', '10.0.0.2:2379'] }],
    ['etcd://127.0.0.1:2379/', { kind: 'etcd', endpoints: ['127.0.0.1:2379'] }],
    ['etcd://127.0.0.1:2379?prefix=/tk-e2e-1f', { kind: 'etcd', endpoints: ['127.0.0.1:2379'], prefix: '/tk-e2e-1f' }],
    ['etcd://a:2379,b:2379/?prefix=', { kind: 'etcd', endpoints: ['a:2379', 'b:2379'] }],
  ])('%s', (url, want) => {
    expect(parseStoreUrl(url)).toEqual(want);
  });

  it.each(['', 'sqlite://', 'postgres://db/x', 'etcd://', 'etcd://?prefix=/x', 'etcd://a:2379?prefix=x', 'etcd://a:2379?prefix=/x/', 'etcd://a:2379?pfx=/x'])('rejects %j', (url) => {
    expect(() => parseStoreUrl(url)).toThrow();
  });
});

describe('createStore', () => {
  it('opens a memory store', async () => {
    const s = await createStore('memory://');
    expect(s).toBeInstanceOf(MemoryStore);
    await s.close();
  });

  it('opens a sqlite store, creating missing directories', async () => {
    const s = await createStore(`sqlite://${join(root, 'nested', 'dir', 'state.db')}`);
    expect(s).toBeInstanceOf(SqliteStore);
    expect((await s.create('/a', new Uint8Array([1]))).modRevision).toBe(1);
    await s.close();
  });

  it('opens etcd:// with the driver it imports lazily, failing Unavailable when no member answers', async () => {
    await expect(createStore('etcd://127.0.0.1:1')).rejects.toMatchObject({ name: 'StoreError', code: 'Unavailable' });
  });

  it('refuses etcd TLS files that do not go together or cannot be read, before it connects', async () => {
    await expect(createStore('etcd://127.0.0.1:1', { etcdTls: { certFile: '/x/client.crt' } })).rejects.toThrow('etcd TLS: --etcd-certfile and --etcd-keyfile go together');
    await expect(createStore('etcd://127.0.0.1:1', { etcdTls: { caFile: join(root, 'absent-ca.crt') } })).rejects.toThrow(`etcd TLS: read --etcd-cafile ${join(root, 'absent-ca.crt')}`);
  });

  it('never imports the etcd driver statically (processes on SQLite do not load its gRPC client)', () => {
    const source = readFileSync(new URL('./registry.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^import [^;]*etcd/m);
    expect(source).toContain("await import('./etcd/etcd-store.js')");
  });
});
