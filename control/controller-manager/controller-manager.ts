/**
 * The controller manager: one client (in process, through the API server's own request path, with
 * the control plane's loopback credentials), shared informers, and the runnables it is given
 * (the controllers and the scheduler) built from them. Whether and when it runs (leader election
 * on etcd) is the control plane's choice (control/control-plane.ts).
 */
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { EventRecorder } from '../client/events.js';
import { InformerFactory } from '../client/informer-factory.js';
import { RestClient } from '../client/rest-client.js';
import type { Transport } from '../client/transport.js';
import type { Clock } from '../util/clock.js';
import type { ControllerContext } from './controller-context.js';
import type { ControllerOptions } from './controller-options.js';
import type { RunnableFactory } from './runnable.js';

export interface ControllerManagerOptions {
  transport: Transport;
  log: Logger;
  clock: Clock;
  options: ControllerOptions;
  controllers: readonly RunnableFactory[];
}

export interface RunningManager { stop(): Promise<void> }

export function startControllerManager(o: ControllerManagerOptions): RunningManager {
  const client = new RestClient(o.transport, { fieldManager: 'kube-controller-manager' });
  const informers = new InformerFactory({ client, log: o.log.child({ component: 'informers' }) });
  const base = { client, informers, clock: o.clock, options: o.options };
  const runnables = o.controllers.map((f) => {
    const log = o.log.child(f.component ? { component: f.component } : { component: 'controller', controller: f.name });
    const ctx: ControllerContext = { ...base, log, recorder: (component) => new EventRecorder({ client, component, log, clock: o.clock }) };
    return { name: f.name, log, runnable: f.create(ctx) };
  });
  const ac = new AbortController();
  setMaxListeners(0, ac.signal); // every informer, worker and watch listens on it
  informers.start(ac.signal);
  const running = runnables.map((r) => r.runnable.run(ac.signal).catch((err: unknown) => r.log.error({ err }, 'Controller stopped')));
  o.log.info({ controllers: runnables.map((r) => r.name) }, 'Started controller manager');
  return {
    async stop() {
      ac.abort();
      await Promise.all(running);
    },
  };
}
