/**
 * A controller test environment: the real API server in process (MemoryStore, inject()), a
 * RestClient on it, shared informers, an injectable clock. Start the controllers under test with
 * `env.start(runnable)`; `env.close()` stops everything.
 */
import { setMaxListeners } from 'node:events';
import type { Runnable } from '../runnable.js';
import type { ControllerContext } from '../controller-context.js';
import type { ControllerOptions } from '../controller-options.js';
import { DEFAULT_CONTROLLER_OPTIONS } from '../controller-options.js';
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
import { silentLogger } from '../../util/log.js';

export interface ControllerEnv {
  server: TestServer;
  ctx: ControllerContext;
  client: RestClient;
  /** Start runnables (after informers start); returns when they are launched. */
  start(...r: Runnable[]): void;
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
  const log = silentLogger();
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
      running.push(...launched.map((p) => p.catch(() => undefined)));
    },
    async close() {
      ac.abort();
      await Promise.all(running);
      await server.close();
    },
  };
}
