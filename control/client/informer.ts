/**
 * Informer: list, then watch from the list's resourceVersion, keeping an IndexedCache and calling
 * handlers; relists on 410 Gone/Expired and after a dropped watch (with a small backoff).
 */
import type { Logger } from 'pino';
import type { KubeObject } from '../api/object.js';
import type { ResourceInfo } from '../api/resources.js';
import { isApiError } from '../api/status.js';
import { IndexedCache } from './cache.js';
import type { ObjectCache } from './cache.js';
import type { RestClient } from './rest-client.js';
import { sleep } from '../util/abort.js';

export interface EventHandler<T extends KubeObject> {
  add?(obj: T): void;
  update?(old: T, obj: T): void;
  delete?(obj: T): void;
}

export interface Informer<T extends KubeObject = KubeObject> {
  readonly ri: ResourceInfo;
  readonly cache: ObjectCache<T>;
  addIndex(name: string, fn: (obj: T) => string[]): void;
  on(handler: EventHandler<T>): void;
  hasSynced(): boolean;
  waitForSync(signal: AbortSignal): Promise<boolean>;
  run(signal: AbortSignal): Promise<void>;
}

export interface InformerOptions {
  client: RestClient;
  ri: ResourceInfo;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  log: Logger;
  /** Delay before a relist after an error (tests shorten it). */
  retryDelayMs?: number;
  /** Server-side watch timeout; the informer re-watches from the last resourceVersion. */
  watchTimeoutSeconds?: number;
}

export class ListWatchInformer<T extends KubeObject = KubeObject> implements Informer<T> {
  readonly cache = new IndexedCache<T>();
  private readonly handlers: EventHandler<T>[] = [];
  private synced = false;
  private readonly syncWaiters: Array<() => void> = [];

  constructor(private readonly o: InformerOptions) {}

  get ri(): ResourceInfo { return this.o.ri; }

  addIndex(name: string, fn: (obj: T) => string[]): void { this.cache.addIndex(name, fn); }
  on(handler: EventHandler<T>): void { this.handlers.push(handler); }
  hasSynced(): boolean { return this.synced; }

  waitForSync(signal: AbortSignal): Promise<boolean> {
    if (this.synced || signal.aborted) return Promise.resolve(this.synced);
    return new Promise((resolve) => {
      const done = () => resolve(this.synced);
      this.syncWaiters.push(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    const { client, ri, namespace, labelSelector, fieldSelector } = this.o;
    while (!signal.aborted) {
      try {
        const list = await client.list<T>(ri, namespace, { labelSelector, fieldSelector });
        const gone = this.cache.replace(list.items);
        for (const g of gone) this.emit('delete', g);
        if (!this.synced) {
          for (const o of list.items) this.emit('add', o);
          this.synced = true;
          for (const w of this.syncWaiters.splice(0)) w();
        } else {
          for (const o of list.items) this.emit('update', o, o);
        }
        let rv = list.resourceVersion;
        // watch until the server ends it; then re-watch from the last seen revision
        for (;;) {
          let sawAny = false;
          for await (const ev of client.watch<T>(ri, namespace, { resourceVersion: rv, labelSelector, fieldSelector, timeoutSeconds: this.o.watchTimeoutSeconds ?? 300 }, signal)) {
            sawAny = true;
            if (ev.object.metadata?.resourceVersion) rv = ev.object.metadata.resourceVersion;
            if (ev.type === 'BOOKMARK') continue;
            if (ev.type === 'DELETED') {
              this.cache.remove(ev.object);
              this.emit('delete', ev.object);
            } else {
              const old = this.cache.upsert(ev.object);
              if (old) this.emit('update', old, ev.object); else this.emit('add', ev.object);
            }
          }
          if (signal.aborted) return;
          if (!sawAny) await sleep(50, signal);
        }
      } catch (err) {
        if (signal.aborted) return;
        const gone = isApiError(err) && err.code === 410;
        if (!gone) this.o.log.warn({ err, resource: ri.resource }, 'Watch failed; relisting');
        await sleep(gone ? 0 : this.o.retryDelayMs ?? 1000, signal);
      }
    }
  }

  private emit(kind: 'add' | 'delete', obj: T): void;
  private emit(kind: 'update', old: T, obj: T): void;
  private emit(kind: 'add' | 'update' | 'delete', a: T, b?: T): void {
    for (const h of this.handlers) {
      try {
        if (kind === 'add') h.add?.(a);
        else if (kind === 'update') h.update?.(a, b as T);
        else h.delete?.(a);
      } catch (err) {
        this.o.log.error({ err, resource: this.o.ri.resource }, 'Informer handler failed');
      }
    }
  }
}
