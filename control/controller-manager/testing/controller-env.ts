/**
 * A controller test environment: the real API server in process (MemoryStore, inject()), a
 * RestClient on it, shared informers, an injectable clock. Start the controllers under test with
 * `env.start(runnable)`; `env.close()` stops everything. Controllers log into a ReconcileCounter,
 * the observable tests wait on before asserting that a reconcile did NOT do something.
 */
import { setMaxListeners } from 'node:events';
import type { Runnable } from '../runnable.js';
import type { ControllerContext } from '../controller-context.js';
import type { ControllerOptions } from '../controller-options.js';
import { DEFAULT_CONTROLLER_OPTIONS } from '../controller-options.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { findByKind } from '../../api/resources.js';
import { EventRecorder } from '../../client/events.js';
import { InformerFactory } from '../../client/informer-factory.js';
import { RestClient } from '../../client/rest-client.js';
import { InjectTransport } from '../../client/transport.js';
import type { Injectable } from '../../client/transport.js';
import type { Authenticator } from '../../apiserver/auth.js';
import { startTestServer } from '../../apiserver/testing/test-server.js';
import type { TestServer } from '../../apiserver/testing/test-server.js';
import { systemClock } from '../../util/clock.js';
import type { Clock } from '../../util/clock.js';
import { ReconcileCounter } from './reconcile-counter.js';

export interface ControllerEnv {
  server: TestServer;
  ctx: ControllerContext;
  client: RestClient;
  /** Start runnables (after informers start); returns when they are launched. */
  start(...r: Runnable[]): void;
  /** Successful reconciles of `key` so far, by the generic controllers of this env. */
  reconciles(key: string): number;
  /**
   * Resolves once a reconcile of `key` has succeeded that began after the env's informers held
   * what `poke` wrote: proof the controller looked at everything written before this call.
   * `poke` writes the object (e.g. an annotation patch), which also makes the controller look.
   * Assumes one controller reconciles `key`: it never hands a key to two workers at once, so
   * the second success counted from then began after it.
   */
  nextReconcile(key: string, poke: () => Promise<KubeObject>): Promise<void>;
  close(): Promise<void>;
}

export interface ControllerEnvOptions {
  clock?: Clock;
  options?: Partial<ControllerOptions>;
  gc?: boolean;
  /** Who requests are from (the env's own client included); default everyone is admin. */
  authenticator?: Authenticator;
}

export async function startControllerEnv(opts: ControllerEnvOptions = {}): Promise<ControllerEnv> {
  const server = await startTestServer({ clock: opts.clock, controllers: opts.gc ?? true, authenticator: opts.authenticator });
  const counter = new ReconcileCounter();
  const log = counter.log;
  const client = new RestClient(new InjectTransport(server.app as unknown as Injectable), { fieldManager: 'test' });
  const informers = new InformerFactory({ client, log, retryDelayMs: 50 });
  const clock = opts.clock ?? systemClock;
  const ctx: ControllerContext = {
    client, informers, log, clock,
    recorder: (component) => new EventRecorder({ client, component, log, clock }),
    options: { ...DEFAULT_CONTROLLER_OPTIONS, ...(opts.options ?? {}) },
  };
  const ac = new AbortController();
  setMaxListeners(0, ac.signal); // every informer, worker and watch listens on it
  const running: Promise<void>[] = [];
  let informersStarted = false;
  return {
    server, ctx, client,
    start(...rs: Runnable[]) {
      const launched = rs.map((r) => r.run(ac.signal));
      if (!informersStarted) { informers.start(ac.signal); informersStarted = true; }
      running.push(...launched.map((p) => p.catch(() => undefined))); // close() only waits; a failure shows in the test's assertions
    },
    reconciles: (key) => counter.count(key),
    async nextReconcile(key, poke) {
      await cached(informers, await poke());
      const from = counter.count(key);
      for (const n of [1, 2]) {
        await poke();
        await counter.until(key, from + n);
      }
    },
    async close() {
      ac.abort();
      await Promise.all(running);
      await server.close();
    },
  };
}

/** Resolves once the shared informer of `obj`'s kind holds `obj` at its resourceVersion or later. */
function cached(informers: InformerFactory, obj: KubeObject, timeoutMs = 3000): Promise<void> {
  const ri = findByKind(obj.apiVersion ?? '', obj.kind ?? '');
  if (!ri) return Promise.reject(new Error(`no resource for ${obj.apiVersion}/${obj.kind}`));
  const inf = informers.for(ri);
  const want = Number(obj.metadata?.resourceVersion);
  const held = () => Number(inf.cache.get(keyOf(obj))?.metadata?.resourceVersion ?? 0) >= want;
  if (held()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => { done = true; reject(new Error(`informer did not see ${keyOf(obj)} at ${want} in ${timeoutMs} ms`)); }, timeoutMs);
    const check = () => { if (!done && held()) { done = true; clearTimeout(timer); resolve(); } };
    inf.on({ add: check, update: check });
  });
}
