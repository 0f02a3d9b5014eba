/**
 * Picks the storage backend once, by URL scheme (kine's endpoint):
 *   sqlite:///abs/path/state.db   sqlite://relative/state.db   /bare/path/state.db   state.db
 *   memory://                     etcd://host1:2379,host2:2379[?prefix=/root]
 * The etcd driver (and its gRPC client) is imported only when an etcd:// store is opened. etcd://
 * members are reached over https when TLS files are given (kube-apiserver's --etcd-cafile,
 * --etcd-certfile, --etcd-keyfile), over plain http only when none is; a member written
 * http://h:p or https://h:p inside the URL keeps its own scheme, as kube-apiserver's
 * --etcd-servers do.
 */
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Store } from './types.js';
import { MemoryStore } from './memory/memory-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

export interface CreateStoreOptions {
  log?: Logger;
  /** sqlite and etcd: background compaction period and revisions kept (defaults 5 min / 1000). */
  compaction?: { intervalMs?: number; minRetained?: number };
  /** etcd: TLS files (PEM); any of them turns TLS on, cert and key go together. */
  etcdTls?: EtcdTlsFiles;
}

export interface EtcdTlsFiles { caFile?: string; certFile?: string; keyFile?: string }

/** Reads the TLS files (undefined when none is given); a certificate without its key is refused. */
async function readEtcdTls(f: EtcdTlsFiles | undefined): Promise<import('./etcd/etcd-store.js').EtcdTls | undefined> {
  if (!f || (f.caFile === undefined && f.certFile === undefined && f.keyFile === undefined)) return undefined;
  if ((f.certFile === undefined) !== (f.keyFile === undefined)) throw new Error('etcd TLS: --etcd-certfile and --etcd-keyfile go together');
  const read = async (flag: string, path: string | undefined): Promise<string | undefined> => {
    if (path === undefined) return undefined;
    try { return await readFile(path, 'utf8'); } catch (err) { throw new Error(`etcd TLS: read ${flag} ${path}`, { cause: err }); }
  };
  const [caCertPem, certPem, keyPem] = await Promise.all([read('--etcd-cafile', f.caFile), read('--etcd-certfile', f.certFile), read('--etcd-keyfile', f.keyFile)]);
  return { ...(caCertPem !== undefined ? { caCertPem } : {}), ...(certPem !== undefined ? { certPem } : {}), ...(keyPem !== undefined ? { keyPem } : {}) };
}

export type StoreBackend =
  | { kind: 'sqlite'; path: string }
  | { kind: 'memory' }
  | { kind: 'etcd'; endpoints: string[]; prefix?: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i;

/** Parses a store URL; throws on an unknown scheme or an empty path. */
export function parseStoreUrl(url: string): StoreBackend {
  const m = SCHEME.exec(url);
  if (!m) {
    if (url === '') throw new Error('store url: empty');
    return { kind: 'sqlite', path: resolve(url) };
  }
  const scheme = m[1]!.toLowerCase();
  const rest = m[2]!;
  switch (scheme) {
    case 'sqlite': {
      const path = rest.split('?')[0] ?? '';
      if (path === '') throw new Error(`store url "${url}": missing database path`);
      return { kind: 'sqlite', path: path === ':memory:' ? path : resolve(path) };
    }
    case 'memory':
      return { kind: 'memory' };
    case 'etcd':
      return parseEtcd(url, rest);
    default:
      throw new Error(`store url "${url}": unknown scheme "${scheme}" (want sqlite://, etcd:// or memory://)`);
  }
}

/** etcd://h1:2379,h2:2379[/][?prefix=/root]: the members, and a root every key is stored under. */
function parseEtcd(url: string, rest: string): StoreBackend {
  const q = rest.indexOf('?');
  const hosts = q < 0 ? rest : rest.slice(0, q);
  const endpoints = hosts.replace(/\/+$/, '').split(',').filter((e) => e !== '');
  if (endpoints.length === 0) throw new Error(`store url "${url}": missing etcd endpoints`);
  const params = new URLSearchParams(q < 0 ? '' : rest.slice(q + 1));
  for (const name of params.keys()) {
    if (name !== 'prefix') throw new Error(`store url "${url}": unknown parameter "${name}" (want prefix)`);
  }
  const prefix = params.get('prefix') ?? '';
  if (prefix === '') return { kind: 'etcd', endpoints };
  if (!prefix.startsWith('/') || prefix.endsWith('/')) {
    throw new Error(`store url "${url}": prefix must start and must not end with "/"`);
  }
  return { kind: 'etcd', endpoints, prefix };
}

export async function createStore(url: string, opts: CreateStoreOptions = {}): Promise<Store> {
  const backend = parseStoreUrl(url);
  const log = opts.log?.child({ component: 'store', backend: backend.kind });
  switch (backend.kind) {
    case 'memory':
      return new MemoryStore();
    case 'etcd': {
      const { EtcdStore } = await import('./etcd/etcd-store.js');
      const tls = await readEtcdTls(opts.etcdTls);
      const store = new EtcdStore({
        endpoints: backend.endpoints,
        ...(tls ? { tls } : {}),
        prefix: backend.prefix,
        log,
        compactIntervalMs: opts.compaction?.intervalMs,
        compactMinRetained: opts.compaction?.minRetained,
      });
      let revision: number;
      try {
        revision = await store.currentRevision();
      } catch (err) {
        await store.close();
        throw err;
      }
      log?.info({ endpoints: backend.endpoints, prefix: backend.prefix, tls: tls !== undefined, revision }, 'Opened store');
      return store;
    }
    case 'sqlite': {
      if (backend.path !== ':memory:') mkdirSync(dirname(backend.path), { recursive: true, mode: 0o700 });
      const store = new SqliteStore({
        path: backend.path,
        log,
        compactIntervalMs: opts.compaction?.intervalMs,
        compactMinRetained: opts.compaction?.minRetained,
      });
      log?.info({ path: backend.path, revision: await store.currentRevision() }, 'Opened store');
      return store;
    }
  }
}
