/**
 * EtcdStore: the Store on an etcd v3 cluster through the etcd3 client.
 *
 * Revisions are etcd's own (a key's resourceVersion is its mod_revision, as with the real apiserver).
 * create / update / delete are single transactions comparing create_revision or mod_revision, whose
 * failure branch reads the key so a conflict reports the current value. Reads at an older revision are
 * etcd's MVCC reads; watches are etcd watches (etcd-watch.ts). etcd keeps history until compacted: a
 * Compactor (the sqlite one; kube-apiserver's every-5-minutes loop) compacts to head - minRetained.
 */
import { Etcd3 } from 'etcd3';
import type { IKeyValue, IRangeRequest, IRangeResponse, ITxnRequest, ITxnResponse } from 'etcd3';
import type { Logger } from 'pino';
import { StoreError } from '../types.js';
import type { KeyValue, ListOptions, ListResult, Revision, Store, WatchEvent } from '../types.js';
import { Compactor } from '../sqlite/compactor.js';
import { KeySpace, toKeyValue, toRevision } from './codec.js';
import { isCompactedError, isFutureRevisionError, translateEtcdError } from './errors.js';
import { watchEtcd } from './etcd-watch.js';

/** TLS to the members, as kube-apiserver's --etcd-cafile/--etcd-certfile/--etcd-keyfile. */
export interface EtcdTls {
  /** CA bundle the members' serving certificates are verified with; the system roots when absent. */
  caCertPem?: string;
  /** Client certificate and key (etcd --client-cert-auth); both or neither. */
  certPem?: string;
  keyPem?: string;
}

export interface EtcdStoreOptions {
  /** host:port or http(s)://host:port of the cluster's members; host:port is https with `tls`, http without. */
  endpoints: string[];
  /** Speak TLS to the members (and present a client certificate when it has one). */
  tls?: EtcdTls;
  /** Root under which every key lives (like --etcd-prefix), without a trailing '/'; default none. */
  prefix?: string;
  log?: Logger;
  /** Deadline of each unary request (default 10 s). */
  requestTimeoutMs?: number;
  /** Background compaction period; 0 disables it (default 5 minutes). */
  compactIntervalMs?: number;
  /** Revisions the background compactor always keeps (default 1000). */
  compactMinRetained?: number;
  /** How long a broken watch stream is retried before the watch fails (default 30 s). */
  watchRetryMs?: number;
}

export class EtcdStore implements Store {
  readonly capabilities = { leaderElection: true };
  private readonly client: Etcd3;
  private readonly keys: KeySpace;
  private readonly compactor: Compactor;
  private readonly closing = new AbortController();
  /** Highest compact revision seen (a lower bound of etcd's). */
  private compacted: Revision = 0;
  private closed = false;

  constructor(private readonly opts: EtcdStoreOptions) {
    if (opts.endpoints.length === 0) throw new Error('etcd store: no endpoints');
    this.keys = new KeySpace(opts.prefix);
    const timeout = opts.requestTimeoutMs ?? 10_000;
    const tls = opts.tls;
    this.client = new Etcd3({
      hosts: opts.endpoints.map((e) => (/^https?:\/\//.test(e) ? e : `${tls ? 'https' : 'http'}://${e}`)),
      ...(tls ? { credentials: {
        // grpc's createSsl takes null for "the system roots"
        rootCertificate: (tls.caCertPem !== undefined ? Buffer.from(tls.caCertPem) : null) as Buffer,
        ...(tls.keyPem !== undefined ? { privateKey: Buffer.from(tls.keyPem) } : {}),
        ...(tls.certPem !== undefined ? { certChain: Buffer.from(tls.certPem) } : {}),
      } } : {}),
      defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + timeout }),
    });
    this.compactor = new Compactor({
      store: this, intervalMs: opts.compactIntervalMs, minRetained: opts.compactMinRetained, log: opts.log,
    });
    this.compactor.start();
  }

  async get(key: string, opts?: { revision?: Revision }): Promise<KeyValue | undefined> {
    const res = await this.range({ key: this.keys.toEtcd(key), limit: 1 }, opts?.revision, `get ${key}`);
    const kv = res.kvs[0];
    return kv ? toKeyValue(kv, this.keys) : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const range = this.keys.range(prefix);
    const after = opts.continueAfter;
    if (after !== undefined && after >= prefix) range.key = Buffer.concat([this.keys.toEtcd(after), Buffer.from([0])]);
    const limit = opts.limit !== undefined && opts.limit > 0 ? opts.limit : undefined;
    const req: IRangeRequest = { ...range, ...(limit !== undefined ? { limit } : {}) };
    const res = await this.range(req, opts.revision, `list ${prefix}`);
    const items = res.kvs.map((kv) => toKeyValue(kv, this.keys));
    // A read at a past revision answers with the current revision in its header.
    const revision = opts.revision !== undefined && opts.revision < toRevision(res.header.revision) ? opts.revision : toRevision(res.header.revision);
    const result: ListResult = { revision, items };
    const lastItem = items[items.length - 1];
    if (limit !== undefined && res.more && lastItem) result.continueAfter = lastItem.key;
    return result;
  }

  async create(key: string, value: Uint8Array): Promise<KeyValue> {
    const k = this.keys.toEtcd(key);
    const v = Buffer.from(value);
    const res = await this.txn({
      compare: [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key: k, value: v } }],
    }, `create ${key}`);
    if (!res.succeeded) throw new StoreError('KeyExists', `create ${key}: key exists`);
    const rev = toRevision(res.header.revision);
    this.opts.log?.trace({ key, rev }, 'Created key');
    return { key, value: Buffer.from(v), createRevision: rev, modRevision: rev };
  }

  async update(key: string, value: Uint8Array, expect: Revision): Promise<KeyValue> {
    const k = this.keys.toEtcd(key);
    const v = Buffer.from(value);
    const res = await this.txn({
      compare: [
        { key: k, target: 'Create', result: 'Greater', create_revision: 0 },
        { key: k, target: 'Mod', result: 'Equal', mod_revision: expect },
      ],
      success: [{ request_put: { key: k, value: v, prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    }, `update ${key}`);
    if (!res.succeeded) throw this.casFailure(res, key, expect, 'update');
    const prev = res.responses[0]?.response_put.prev_kv;
    const rev = toRevision(res.header.revision);
    this.opts.log?.trace({ key, rev }, 'Updated key');
    return { key, value: Buffer.from(v), createRevision: toRevision(prev?.create_revision), modRevision: rev };
  }

  async delete(key: string, expect?: Revision): Promise<KeyValue> {
    const k = this.keys.toEtcd(key);
    const res = await this.txn({
      compare: [
        { key: k, target: 'Create', result: 'Greater', create_revision: 0 },
        ...(expect !== undefined ? [{ key: k, target: 'Mod' as const, result: 'Equal' as const, mod_revision: expect }] : []),
      ],
      success: [{ request_delete_range: { key: k, prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    }, `delete ${key}`);
    if (!res.succeeded) throw this.casFailure(res, key, expect, 'delete');
    const prev = res.responses[0]?.response_delete_range.prev_kvs[0];
    if (!prev) throw new StoreError('KeyNotFound', `delete ${key}: key not found`);
    const rev = toRevision(res.header.revision);
    this.opts.log?.trace({ key, rev }, 'Deleted key');
    return { ...toKeyValue(prev, this.keys), modRevision: rev };
  }

  watch(prefix: string, from: Revision, signal: AbortSignal): AsyncIterable<WatchEvent> {
    this.checkOpen();
    return watchEtcd({
      client: this.client.watchClient,
      keys: this.keys,
      prefix,
      from,
      signal: AbortSignal.any([signal, this.closing.signal]),
      onCompacted: (rev) => { this.compacted = Math.max(this.compacted, rev); },
      retryForMs: this.opts.watchRetryMs,
    });
  }

  async currentRevision(): Promise<Revision> {
    const res = await this.range({ key: this.keys.toEtcd('/'), limit: 1, keys_only: true }, undefined, 'current revision');
    return toRevision(res.header.revision);
  }

  /**
   * etcd does not report its compact revision, but a read below it fails and a read at it succeeds:
   * probe the last one known (one request), and only when that fails search up to the head.
   */
  async compactRevision(): Promise<Revision> {
    if (await this.readableAt(Math.max(this.compacted, 1))) return this.compacted;
    let lo = this.compacted + 1; // unreadable
    let hi = await this.currentRevision(); // readable
    while (hi - lo > 0) {
      const mid = Math.floor((lo + hi) / 2);
      if (await this.readableAt(mid)) hi = mid;
      else lo = mid + 1;
    }
    this.compacted = Math.max(this.compacted, hi);
    return this.compacted;
  }

  /** Compacts etcd's history (the whole cluster's, as any etcd compaction) up to `revision`, clamped to the head. */
  async compact(revision: Revision): Promise<void> {
    this.checkOpen();
    const target = Math.min(revision, await this.currentRevision());
    if (target <= this.compacted) return;
    try {
      await this.client.kv.compact({ revision: target, physical: false });
    } catch (err) {
      if (!isCompactedError(err)) throw translateEtcdError(err, `compact to ${target}`);
      // someone else compacted further already: that is as good
    }
    this.compacted = Math.max(this.compacted, target);
  }

  /** Runs one background compaction pass now (tests). */
  runCompactor(): Promise<void> { return this.compactor.runOnce(); }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort();
    await this.compactor.stop();
    this.client.close();
  }

  private async readableAt(revision: Revision): Promise<boolean> {
    try {
      await this.client.kv.range({ key: this.keys.toEtcd('/'), limit: 1, keys_only: true, revision });
      return true;
    } catch (err) {
      if (isCompactedError(err)) return false;
      throw translateEtcdError(err, `read at revision ${revision}`);
    }
  }

  /** A range read at `revision` (default: now); a revision past the head reads the head, like sqlite. */
  private async range(req: IRangeRequest, revision: Revision | undefined, what: string): Promise<IRangeResponse> {
    this.checkOpen();
    try {
      if (revision !== undefined && revision > 0) {
        try {
          return await this.client.kv.range({ ...req, revision });
        } catch (err) {
          if (!isFutureRevisionError(err)) throw err;
        }
      }
      return await this.client.kv.range(req);
    } catch (err) {
      throw translateEtcdError(err, what);
    }
  }

  private async txn(req: ITxnRequest, what: string): Promise<ITxnResponse> {
    this.checkOpen();
    try {
      return await this.client.kv.txn(req);
    } catch (err) {
      throw translateEtcdError(err, what);
    }
  }

  /** KeyNotFound or RevisionConflict (with the current kv) from a failed compare's range response. */
  private casFailure(res: ITxnResponse, key: string, expect: Revision | undefined, op: string): StoreError {
    const current: IKeyValue | undefined = res.responses[0]?.response_range.kvs[0];
    if (!current) return new StoreError('KeyNotFound', `${op} ${key}: key not found`);
    const kv = toKeyValue(current, this.keys);
    return new StoreError('RevisionConflict', `${op} ${key}: revision ${kv.modRevision} != expected ${expect ?? 'any'}`, { current: kv });
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('Unavailable', 'etcd store: closed');
  }
}
